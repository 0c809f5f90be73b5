package org.cloudkeep.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * One OAuth2 authorization-code flow in progress (RFC 6749 §4.1 with PKCE, RFC 7636). The core
 * makes the state and the verifier, keeps them until the person comes back, and passes the same
 * request to {@link OAuth2Flow#authorizeUri} and {@link OAuth2Flow#exchange}.
 *
 * @param redirectUri where the provider sends the person back with {@code code} and {@code state}
 * @param state an unguessable value the core checks on the way back (against cross-site requests)
 * @param codeVerifier the PKCE secret, 43 to 128 characters of {@code [A-Za-z0-9-._~]}
 */
public record OAuth2Request(URI redirectUri, String state, String codeVerifier) {

    public OAuth2Request {
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        if (!codeVerifier.matches("[A-Za-z0-9._~-]{43,128}")) {
            throw new IllegalArgumentException("a PKCE code verifier has 43 to 128 unreserved characters");
        }
    }

    /** The PKCE {@code S256} challenge: base64url(SHA-256(verifier)) without padding. */
    public String codeChallenge() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
