package org.cloudkeep.api;

import java.util.Locale;
import java.util.Objects;

/**
 * A hash of a file's content in the provider's own algorithm. Two hashes say anything about each
 * other only when their algorithms are equal.
 *
 * @param algorithm lower-case name, for instance {@link #SHA256}, {@link #MD5}, {@link #SHA1}, or
 *     a provider-specific one such as {@code dropbox-content-hash}
 * @param value the hash as the provider gives it (lower-case hex for the standard digests)
 */
public record ContentHash(String algorithm, String value) {

    public static final String SHA256 = "sha256";
    public static final String SHA1 = "sha1";
    public static final String MD5 = "md5";

    public ContentHash {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (algorithm.isBlank() || value.isBlank()) {
            throw new IllegalArgumentException("a content hash needs an algorithm and a value");
        }
    }
}
