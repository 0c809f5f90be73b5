package org.cloudkeep.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Computes a {@link ContentHash} of one file's bytes, fed in order. The device checks every
 * download with the hasher of the provider that listed it ({@link CloudDriveProvider#hasher}), so
 * a provider with its own algorithm (Dropbox's block hash, OneDrive's quickXorHash) supplies it.
 * Not thread-safe; one per file.
 */
@ConsumerType
public interface ContentHasher {

    /** Feeds the next bytes of the file. */
    void update(byte[] bytes, int offset, int length);

    /** The hash of every byte fed so far; the hasher is not used afterwards. */
    ContentHash finish();

    /**
     * A hasher for {@link ContentHash#MD5}, {@link ContentHash#SHA1} or {@link ContentHash#SHA256},
     * or {@code null} for any other algorithm.
     */
    static ContentHasher standard(String algorithm) {
        String javaName =
                switch (algorithm) {
                    case ContentHash.SHA256 -> "SHA-256";
                    case ContentHash.SHA1 -> "SHA-1";
                    case ContentHash.MD5 -> "MD5";
                    default -> null;
                };
        if (javaName == null) {
            return null;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + javaName, e);
        }
        return new ContentHasher() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public ContentHash finish() {
                return new ContentHash(algorithm, HexFormat.of().formatHex(digest.digest()));
            }
        };
    }
}
