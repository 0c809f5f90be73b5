package org.cloudkeep.accounts.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2-HMAC-SHA256 with a 16-byte random salt and a 256-bit key, encoded as
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}. A hash carries its own iteration
 * count, so raising the count keeps older hashes valid (see {@link #outdated}).
 *
 * <p>The password arrays given here are never kept; the caller clears them.
 */
final class Passwords {

    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 210_000;

    static final int MIN_ITERATIONS = 1_000;
    /** Bounds what a stored hash may ask for, so that a damaged row cannot stall a login for minutes. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;

    private final int iterations;
    private final SecureRandom random;

    Passwords(int iterations, SecureRandom random) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "PBKDF2 iterations must be " + MIN_ITERATIONS + "-" + MAX_ITERATIONS + ", not " + iterations);
        }
        this.iterations = iterations;
        this.random = random;
    }

    /** A new hash of the password, with a fresh salt. */
    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder base64 = Base64.getEncoder();
        String encoded =
                SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(key);
        Arrays.fill(key, (byte) 0);
        return encoded;
    }

    /**
     * Whether the password matches the encoded hash; compared in constant time.
     *
     * @throws IllegalArgumentException when the encoded hash is not one of ours
     */
    boolean verify(char[] password, String encoded) {
        Parsed parsed = parse(encoded);
        byte[] key = derive(password, parsed.salt(), parsed.iterations());
        try {
            return MessageDigest.isEqual(key, parsed.hash());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Spends the time of a verification without anything to compare with, so that an unknown
     * username answers as slowly as a wrong password.
     */
    void burn(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Arrays.fill(derive(password, salt, iterations), (byte) 0);
    }

    /** Whether a valid hash was made with fewer iterations than new ones get. */
    boolean outdated(String encoded) {
        return parse(encoded).iterations() < iterations;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static Parsed parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a " + SCHEME + " password hash");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length != KEY_BITS / 8) {
                throw new IllegalArgumentException("a " + SCHEME + " password hash with impossible parameters");
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) { // NumberFormatException and bad base64 are ones too
            throw new IllegalArgumentException("a malformed " + SCHEME + " password hash", e);
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {}
}
