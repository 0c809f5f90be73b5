package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropboxContentHasherTest {

    private static final int BLOCK = 4 * 1024 * 1024;

    private final DropboxProvider provider = new DropboxProvider(DropboxSettings.dropbox("", ""));

    /** Values published with rdrop2's content-hash tests, computed independently of Dropbox's own code. */
    @Test
    void publishedValues() {
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            block[i] = (byte) i; // 0..255 repeated
        }
        byte[] blockPlusOne = new byte[BLOCK + 1];
        System.arraycopy(block, 0, blockPlusOne, 0, BLOCK);
        blockPlusOne[BLOCK] = (byte) 255;
        byte[] threeAndAHalf = new byte[BLOCK * 7 / 2];
        for (int i = 0; i < threeAndAHalf.length; i++) {
            threeAndAHalf[i] = (byte) i;
        }
        assertEquals(
                "1aa2b7623dfff520c4abdc1227d10bc4e229b74005b66b3458345830e556f4de",
                hash("hello rdrop2".getBytes(StandardCharsets.US_ASCII), 7));
        assertEquals("894bbb52d1212d6bcbe9967f1a2169138c4d4af0c8dfbaeae86cd1d3f0c03faf", hash(block, 65_536));
        assertEquals("9149387a91f71c7c2149b8427d15526b71c1a38d6c6f999ad71486a2ce788d57", hash(blockPlusOne, 1_000_003));
        assertEquals("f61d3ae93fa4f7646d37949fc0885141bf682faa9a130896b93459c650335d0f", hash(threeAndAHalf, BLOCK));
    }

    /** The block boundaries that matter, fed in pieces that straddle them, against a plain computation. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 17})
    void agreesWithAnIndependentComputation(int size) throws Exception {
        byte[] content = new byte[size];
        new java.util.Random(size).nextBytes(content);
        MessageDigest overall = MessageDigest.getInstance("SHA-256");
        for (int start = 0; start < size; start += BLOCK) {
            int end = Math.min(size, start + BLOCK);
            overall.update(
                    MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(content, start, end)));
        }
        String expected = HexFormat.of().formatHex(overall.digest());
        assertEquals(expected, hash(content, 1_048_583));
        assertEquals(expected, hash(content, Math.max(1, size)));
    }

    @Test
    void anEmptyFileHashesToTheSha256OfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hash(new byte[0], 1));
    }

    @Test
    void theProviderGivesThisHasherForItsAlgorithmOnly() {
        ContentHash hash = provider.hasher("dropbox-content-hash").finish();
        assertEquals("dropbox-content-hash", hash.algorithm());
        assertEquals(provider.descriptor().hashAlgorithms(), java.util.List.of("dropbox-content-hash"));
        assertNull(provider.hasher("quickxorhash"));
    }

    /** Feeds the bytes in pieces of the given size, with an offset into a larger array each time. */
    private String hash(byte[] content, int piece) {
        ContentHasher hasher = provider.hasher(DropboxProvider.CONTENT_HASH);
        for (int start = 0; start < content.length; start += piece) {
            int length = Math.min(piece, content.length - start);
            byte[] padded = new byte[length + 3];
            System.arraycopy(content, start, padded, 2, length);
            hasher.update(padded, 2, length);
        }
        ContentHash hash = hasher.finish();
        assertEquals(DropboxProvider.CONTENT_HASH, hash.algorithm());
        return hash.value();
    }
}
