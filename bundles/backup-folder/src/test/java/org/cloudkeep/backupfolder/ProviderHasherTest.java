package org.cloudkeep.backupfolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider's own hash algorithm (here a toy sum) is verified with the provider's hasher. */
class ProviderHasherTest {

    private static final String SUM = "test-sum";
    private static final Instant TIME = Instant.parse("2024-03-05T06:07:08Z");

    @TempDir
    Path root;

    private final byte[] content = "the bytes of a file, resumed once".getBytes();

    /** The hashers a provider with the algorithm "test-sum" would give: the sum of the bytes. */
    private static ContentHasher hasher(String algorithm) {
        if (!SUM.equals(algorithm)) {
            return ContentHasher.standard(algorithm);
        }
        return new ContentHasher() {
            private long sum;

            @Override
            public void update(byte[] bytes, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    sum += bytes[i] & 0xff;
                }
            }

            @Override
            public ContentHash finish() {
                return new ContentHash(SUM, Long.toString(sum));
            }
        };
    }

    private ContentHash sumOf(byte[] bytes) {
        ContentHasher hasher = hasher(SUM);
        hasher.update(bytes, 0, bytes.length);
        return hasher.finish();
    }

    @Test
    void aResumedDownloadIsVerifiedWithTheProvidersAlgorithm() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        try (Incoming first =
                folder.incoming("/a.txt", content.length, TIME, sumOf(content), ProviderHasherTest::hasher)) {
            first.append(new ByteArrayInputStream(content, 0, 10), 5, n -> {});
        }
        Placed placed;
        try (Incoming again =
                folder.incoming("/a.txt", content.length, TIME, sumOf(content), ProviderHasherTest::hasher)) {
            assertEquals(SUM, again.verifiedWith());
            long offset = again.resume(10);
            assertEquals(10, offset);
            again.append(new ByteArrayInputStream(content, 10, content.length - 10), 1024, n -> {});
            placed = again.commit();
        }
        assertEquals(SUM, placed.verifiedWith());
        assertArrayEquals(content, Files.readAllBytes(root.resolve("1/a.txt")));
        assertTrue(folder.holds("/a.txt", content.length, TIME, sumOf(content), ProviderHasherTest::hasher));
    }

    @Test
    void bytesThatDoNotMatchTheProvidersHashAreRefused() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        ContentHash wrong = new ContentHash(SUM, "12345");
        try (Incoming in = folder.incoming("/a.txt", content.length, TIME, wrong, ProviderHasherTest::hasher)) {
            in.append(new ByteArrayInputStream(content), 1024, n -> {});
            VerificationException refused = assertThrows(VerificationException.class, in::commit);
            assertTrue(refused.getMessage().contains(SUM + " expected 12345"), refused.getMessage());
        }
        assertFalse(Files.exists(root.resolve("1/a.txt")), "nothing under the final name");
    }

    @Test
    void withoutTheProvidersHasherOnlyTheSizeIsChecked() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        try (Incoming in = folder.incoming("/a.txt", content.length, TIME, new ContentHash(SUM, "12345"))) {
            assertEquals("size", in.verifiedWith());
        }
    }
}
