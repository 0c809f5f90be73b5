package org.cloudkeep.provider.dropbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;

/**
 * An account's OAuth2 tokens, as kept in its credentials map.
 *
 * @param accessToken the bearer token every call carries
 * @param refreshToken the offline refresh token, or {@code null} when there is none
 * @param expiresAt when the access token expires, or {@code null} when unknown (then only a 401 tells)
 */
record Tokens(String accessToken, String refreshToken, Instant expiresAt) {

    /** Reads the credentials map; a missing access token or an unreadable expiry is a bad credential. */
    static Tokens from(Map<String, String> credentials) throws BadCredentialsException {
        if (credentials == null) {
            throw new BadCredentialsException("no credentials given: sign in with Dropbox first");
        }
        String access = blankToNull(credentials.get(DropboxProvider.ACCESS_TOKEN));
        String refresh = blankToNull(credentials.get(DropboxProvider.REFRESH_TOKEN));
        String expires = blankToNull(credentials.get(DropboxProvider.EXPIRES_AT));
        if (access == null) {
            throw new BadCredentialsException(
                    "no " + DropboxProvider.ACCESS_TOKEN + " in the credentials: sign in with Dropbox again");
        }
        if (!wellFormed(access) || (refresh != null && !wellFormed(refresh))) {
            throw new BadCredentialsException(
                    "the Dropbox tokens in the credentials hold characters no token has: sign in with Dropbox again");
        }
        Instant expiresAt = null;
        if (expires != null) {
            try {
                expiresAt = Instant.ofEpochSecond(Long.parseLong(expires));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new BadCredentialsException(DropboxProvider.EXPIRES_AT + " must be seconds since the epoch, not '"
                        + expires + "': sign in with Dropbox again");
            }
        }
        return new Tokens(access, refresh, expiresAt);
    }

    /** The credentials map for these tokens, with the keys of the provider's descriptor. */
    Map<String, String> toCredentials() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(DropboxProvider.ACCESS_TOKEN, accessToken);
        if (refreshToken != null) {
            map.put(DropboxProvider.REFRESH_TOKEN, refreshToken);
        }
        if (expiresAt != null) {
            map.put(DropboxProvider.EXPIRES_AT, Long.toString(expiresAt.getEpochSecond()));
        }
        return Map.copyOf(map);
    }

    /** Whether a token can travel in an HTTP header: visible ASCII only (a header cannot hold a line break). */
    static boolean wellFormed(String token) {
        return !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    boolean refreshable() {
        return refreshToken != null;
    }

    /** Whether the access token has expired at {@code now}, or will within a minute (a call takes time too). */
    boolean expiredAt(Instant now) {
        return expiresAt != null && !now.plusSeconds(60).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Tokens[expiresAt=" + expiresAt + ", refreshable=" + refreshable() + "]"; // never the secrets
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
