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

/** The hash algorithms the device can check itself, by their {@link ContentHash} names. */
public final class Digests {

    private Digests() {}

    /** The algorithm's name when the device can check it, else null (size only). */
    public static String checkable(ContentHash hash) {
        if (hash == null) {
            return null;
        }
        return switch (hash.algorithm()) {
            case ContentHash.SHA256, ContentHash.SHA1, ContentHash.MD5 -> hash.algorithm();
            default -> null;
        };
    }

    /** A fresh digest for a {@linkplain #checkable checkable} algorithm. */
    public static MessageDigest create(String algorithm) {
        String javaName =
                switch (algorithm) {
                    case ContentHash.SHA256 -> "SHA-256";
                    case ContentHash.SHA1 -> "SHA-1";
                    case ContentHash.MD5 -> "MD5";
                    default -> throw new IllegalArgumentException("not a checkable algorithm: " + algorithm);
                };
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + javaName, e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static String sha256Hex(byte[] data) {
        return hex(create(ContentHash.SHA256).digest(data));
    }

    /** Whether the file (read without following a link) has this hash; hex compared ignoring case. */
    public static boolean fileMatches(Path file, ContentHash hash) throws IOException {
        MessageDigest digest = create(checkable(hash));
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest.digest()).equalsIgnoreCase(hash.value());
    }
}
