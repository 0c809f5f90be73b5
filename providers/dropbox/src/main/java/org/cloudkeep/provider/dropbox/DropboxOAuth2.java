package org.cloudkeep.provider.dropbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;

/**
 * Dropbox's OAuth2 code flow with PKCE and offline access: the authorize page, the code exchange, and the refresh
 * that sessions use when their access token expires. The app's key and secret are the provider's configuration.
 */
final class DropboxOAuth2 implements OAuth2Flow {

    private final DropboxSettings settings;
    private final DropboxClient client;

    DropboxOAuth2(DropboxSettings settings, DropboxClient client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * @throws IllegalStateException when no app key is configured: no authorization can start without one
     */
    @Override
    public URI authorizeUri(OAuth2Request request) {
        requireAppKey();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.appKey());
        query.put("redirect_uri", request.redirectUri().toString());
        query.put("state", request.state());
        query.put("code_challenge", request.codeChallenge());
        query.put("code_challenge_method", "S256");
        query.put("token_access_type", "offline"); // a refresh token, so backups run while nobody is signed in
        String base = settings.authorizeUrl().toString();
        return URI.create(
                base + (settings.authorizeUrl().getRawQuery() == null ? "?" : "&") + DropboxClient.form(query));
    }

    @Override
    public Map<String, String> exchange(OAuth2Request request, String code) throws ProviderException {
        if (!settings.registered()) {
            throw new PermanentProviderException(noAppKey());
        }
        if (code == null || code.isBlank()) {
            throw new BadCredentialsException("no authorization code came back from Dropbox; sign in again");
        }
        Map<String, String> form = client(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "redirect_uri",
                request.redirectUri().toString(),
                "code_verifier",
                request.codeVerifier()));
        DropboxClient.TokenAnswer answer = client.token(form);
        if (!answer.ok()) {
            if (isClientError(answer)) {
                throw new PermanentProviderException(badApp(answer));
            }
            throw new BadCredentialsException("Dropbox refused the authorization code (" + answer.error()
                    + "); it may be wrong, used or " + "expired: sign in again");
        }
        return tokens(answer.body(), null).toCredentials();
    }

    /**
     * A new access token for a refresh token.
     *
     * @throws ExpiredCredentialsException when Dropbox refuses the refresh token (revoked, or the app unlinked)
     */
    Tokens refresh(Tokens old) throws ProviderException {
        if (!old.refreshable()) {
            throw new ExpiredCredentialsException(
                    "the Dropbox access token has expired and there is no refresh token: sign in with Dropbox again");
        }
        if (!settings.registered()) {
            throw new PermanentProviderException(noAppKey() + " (needed to renew the expired access token)");
        }
        DropboxClient.TokenAnswer answer =
                client.token(client(Map.of("grant_type", "refresh_token", "refresh_token", old.refreshToken())));
        if (!answer.ok()) {
            if (isClientError(answer)) {
                throw new PermanentProviderException(badApp(answer));
            }
            throw new ExpiredCredentialsException("the Dropbox access token has expired and Dropbox refused to renew "
                    + "it (" + answer.error() + "): sign in with Dropbox again");
        }
        return tokens(answer.body(), old.refreshToken());
    }

    /** Reads a token answer; a refresh answer carries no refresh token, so the old one stays. */
    private static Tokens tokens(JsonNode body, String oldRefreshToken) throws PermanentProviderException {
        String route = "oauth2/token";
        JsonNode access = body.get("access_token");
        if (access == null || !access.isTextual() || !Tokens.wellFormed(access.asText())) {
            throw Metadata.malformed(route, "has no well-formed 'access_token'");
        }
        JsonNode refresh = body.get("refresh_token");
        String refreshToken = oldRefreshToken;
        if (refresh != null && !refresh.isNull()) {
            if (!refresh.isTextual() || !Tokens.wellFormed(refresh.asText())) {
                throw Metadata.malformed(route, "has a 'refresh_token' that is not a well-formed token");
            }
            refreshToken = refresh.asText();
        }
        JsonNode expiresIn = body.get("expires_in");
        Instant expiresAt = null;
        if (expiresIn != null && !expiresIn.isNull()) {
            if (!expiresIn.isIntegralNumber() || expiresIn.asLong() <= 0 || expiresIn.asLong() > 1_000_000_000L) {
                throw Metadata.malformed(route, "has an 'expires_in' that is not a positive number of seconds");
            }
            expiresAt = Instant.now().plusSeconds(expiresIn.asLong());
        }
        return new Tokens(access.asText(), refreshToken, expiresAt);
    }

    /** The form with the app's credentials added, as the token endpoint takes them. */
    private Map<String, String> client(Map<String, String> form) {
        Map<String, String> full = new LinkedHashMap<>(form);
        full.put("client_id", settings.appKey());
        if (!settings.appSecret().isEmpty()) {
            full.put("client_secret", settings.appSecret());
        }
        return full;
    }

    /** Whether the app registration itself was refused: a configuration mistake, not the account's. */
    private static boolean isClientError(DropboxClient.TokenAnswer answer) {
        String error = answer.body().path("error").asText("");
        return error.equals("invalid_client") || error.equals("unauthorized_client");
    }

    private static String badApp(DropboxClient.TokenAnswer answer) {
        return "Dropbox refused the app registration (" + answer.error() + "): check appKey and appSecret in the "
                + "configuration " + DropboxProvider.PID;
    }

    private void requireAppKey() {
        if (!settings.registered()) {
            throw new IllegalStateException(noAppKey());
        }
    }

    private static String noAppKey() {
        return "no Dropbox app is configured: set appKey (and appSecret) in the configuration " + DropboxProvider.PID;
    }
}
