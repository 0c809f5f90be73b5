package org.cloudkeep.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code path_key} of a provider path, as the store's {@code ck_entries} and {@code
 * ck_traversal_entries} hold it: the lower-case hex SHA-256 of the path's UTF-8 bytes. Every
 * bundle that writes or looks up an entry by path computes its key here, so that there is one
 * definition of it.
 */
public final class PathKeys {

    /** The length of a key: 64 hex digits. */
    public static final int LENGTH = 64;

    private PathKeys() {}

    /** The key of a provider path; the path is taken exactly as given, not normalised. */
    public static String of(String path) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must offer SHA-256", e);
        }
        return HexFormat.of().formatHex(digest.digest(path.getBytes(StandardCharsets.UTF_8)));
    }
}
