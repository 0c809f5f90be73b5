package org.cloudkeep.backupfolder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;

/** Digests the backup folder computes: names of staging files, and checks of whole files. */
public final class Digests {

    private Digests() {}

    /** A fresh SHA-256 digest (for the device's own names, not for provider hashes). */
    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static String sha256Hex(byte[] data) {
        return hex(sha256().digest(data));
    }

    /**
     * Whether the file (read without following a link) has this hash, computed by the hasher of
     * the hash's algorithm; values compared ignoring case.
     */
    public static boolean fileMatches(Path file, ContentHash hash, ContentHasher hasher) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                hasher.update(buffer, 0, n);
            }
        }
        return hasher.finish().value().equalsIgnoreCase(hash.value());
    }
}
