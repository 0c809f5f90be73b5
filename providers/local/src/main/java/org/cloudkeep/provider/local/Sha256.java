package org.cloudkeep.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streams a file through SHA-256, a buffer at a time, so that no file is ever held in memory whole. */
final class Sha256 {

    private static final int BUFFER_SIZE = 64 * 1024;

    private Sha256() {}

    /** What was hashed: the number of bytes read and their digest in lower-case hex. */
    record Digest(long size, String hex) {}

    static Digest of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        long size = 0;
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(size, HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must offer SHA-256", e);
        }
    }
}
