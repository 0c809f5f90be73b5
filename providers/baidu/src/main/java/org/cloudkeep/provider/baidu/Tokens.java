package org.cloudkeep.provider.baidu;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;

/**
 * An account's OAuth2 tokens, as the credentials map carries them.
 *
 * @param accessToken sent with every call, in the query string as Baidu wants it
 * @param refreshToken renews the access token once (Baidu's refresh tokens are single-use); {@code
 *     null} when there is none
 * @param expiresAt when the access token expires; {@code null} when unknown
 */
record Tokens(String accessToken, String refreshToken, Instant expiresAt) {

    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String EXPIRES_AT = "expiresAt";

    /** The tokens in an account's credentials. */
    static Tokens from(Map<String, String> credentials) throws BadCredentialsException {
        String access = credentials == null ? null : credentials.get(ACCESS_TOKEN);
        if (access == null || access.isBlank()) {
            throw new BadCredentialsException(
                    "No Baidu access token: authorize CloudKeep at Baidu Netdisk to connect this account.");
        }
        String refresh = credentials.get(REFRESH_TOKEN);
        return new Tokens(
                access.trim(),
                refresh == null || refresh.isBlank() ? null : refresh.trim(),
                expiry(credentials.get(EXPIRES_AT)));
    }

    /** The credentials map for these tokens. */
    Map<String, String> toCredentials() {
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put(ACCESS_TOKEN, accessToken);
        if (refreshToken != null) {
            credentials.put(REFRESH_TOKEN, refreshToken);
        }
        if (expiresAt != null) {
            credentials.put(EXPIRES_AT, expiresAt.toString());
        }
        return Map.copyOf(credentials);
    }

    boolean canRefresh() {
        return refreshToken != null;
    }

    /** Whether the access token is known to expire before a moment. */
    boolean expiresBefore(Instant moment) {
        return expiresAt != null && expiresAt.isBefore(moment);
    }

    /** An ISO-8601 instant, or seconds since the epoch; {@code null} when absent. */
    private static Instant expiry(String value) throws BadCredentialsException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return text.chars().allMatch(Character::isDigit) && text.length() <= 12
                    ? Instant.ofEpochSecond(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (DateTimeException | NumberFormatException e) {
            throw new BadCredentialsException(
                    "The credential " + EXPIRES_AT + " is neither an ISO-8601 instant nor seconds since 1970: '" + text
                            + "'; authorize CloudKeep at Baidu Netdisk again.",
                    e);
        }
    }
}
