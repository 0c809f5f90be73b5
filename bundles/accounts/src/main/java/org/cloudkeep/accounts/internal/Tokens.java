package org.cloudkeep.accounts.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer tokens: 32 random bytes, base64url without padding (43 characters). The database keeps
 * only their lower-case hex SHA-256 ({@code ck_tokens.token_hash}), so a copy of it holds no
 * usable token.
 */
final class Tokens {

    static final String SESSION = "SESSION";
    static final String DEVICE = "DEVICE";

    private static final int TOKEN_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random;

    Tokens(SecureRandom random) {
        this.random = random;
    }

    /** A new token, to be shown once. */
    String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a string can be one of our tokens at all; anything else is refused without a lookup. */
    static boolean wellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    /** What the database keeps of a token: its SHA-256 in lower-case hex. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
