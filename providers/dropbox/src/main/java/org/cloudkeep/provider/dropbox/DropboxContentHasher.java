package org.cloudkeep.provider.dropbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;

/**
 * Dropbox's {@code content_hash}: the file is cut into 4 MiB blocks (the last one may be shorter), each block is
 * hashed with SHA-256, and the concatenated binary block hashes are hashed with SHA-256 again, in lower-case hex.
 * An empty file has no block, so its hash is the SHA-256 of nothing.
 */
final class DropboxContentHasher implements ContentHasher {

    /** The algorithm name carried by {@link ContentHash#algorithm()}. */
    static final String ALGORITHM = "dropbox-content-hash";

    static final int BLOCK_SIZE = 4 * 1024 * 1024;

    private final MessageDigest block = sha256();
    private final MessageDigest overall = sha256();
    private int inBlock;

    @Override
    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            int n = Math.min(length, BLOCK_SIZE - inBlock);
            block.update(bytes, offset, n);
            inBlock += n;
            offset += n;
            length -= n;
            if (inBlock == BLOCK_SIZE) {
                overall.update(block.digest());
                inBlock = 0;
            }
        }
    }

    @Override
    public ContentHash finish() {
        if (inBlock > 0) {
            overall.update(block.digest());
            inBlock = 0;
        }
        return new ContentHash(ALGORITHM, HexFormat.of().formatHex(overall.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
