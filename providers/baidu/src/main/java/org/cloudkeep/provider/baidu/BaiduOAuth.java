package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;

/**
 * Baidu's OAuth 2.0 authorization-code flow (openapi.baidu.com): the authorize page, the code
 * exchange and the refresh. Baidu documents no PKCE, so the request's code challenge is not sent;
 * the state is. A refresh token works once: every refresh yields a new one, which must be stored.
 */
final class BaiduOAuth implements OAuth2Flow {

    /** Basic account information and Netdisk access. */
    static final String SCOPE = "basic,netdisk";

    /** Errors that mean the code or refresh token is wrong, used, expired or revoked. */
    private static final Set<String> GRANT_REFUSED = Set.of("invalid_grant", "expired_token", "invalid_request");
    /** Errors that mean the configured app key or secret is refused. */
    private static final Set<String> APP_REFUSED = Set.of("invalid_client", "unauthorized_client");

    private final BaiduClient client;

    BaiduOAuth(BaiduClient client) {
        this.client = client;
    }

    @Override
    public URI authorizeUri(OAuth2Request request) {
        BaiduSettings settings = client.settings();
        if (!settings.hasApp()) {
            throw new IllegalStateException(noApp());
        }
        return URI.create(settings.oauthUrl() + BaiduClient.AUTHORIZE + "?"
                + BaiduClient.query(
                        "response_type", "code",
                        "client_id", settings.appKey(),
                        "redirect_uri", request.redirectUri().toString(),
                        "scope", SCOPE,
                        "state", request.state()));
    }

    @Override
    public Map<String, String> exchange(OAuth2Request request, String code) throws ProviderException {
        if (code == null || code.isBlank()) {
            throw new BadCredentialsException("Baidu sent no authorization code back; authorize CloudKeep again.");
        }
        String what = "exchanging the Baidu authorization code";
        return tokens(
                        what,
                        false,
                        "grant_type",
                        "authorization_code",
                        "code",
                        code.trim(),
                        "redirect_uri",
                        request.redirectUri().toString())
                .toCredentials();
    }

    /**
     * New tokens for a refresh token.
     *
     * @param why why the access token needs renewing, for the messages
     * @throws ExpiredCredentialsException when Baidu refuses the refresh token
     */
    Tokens refresh(String refreshToken, String why) throws ProviderException {
        return tokens(
                "renewing the Baidu access token (" + why + ")",
                true,
                "grant_type",
                "refresh_token",
                "refresh_token",
                refreshToken);
    }

    private Tokens tokens(String what, boolean refreshing, String... grant) throws ProviderException {
        BaiduSettings settings = client.settings();
        if (!settings.hasApp()) {
            throw new PermanentProviderException(what + ": " + noApp());
        }
        String[] form = new String[grant.length + 4];
        System.arraycopy(grant, 0, form, 0, grant.length);
        form[grant.length] = "client_id";
        form[grant.length + 1] = settings.appKey();
        form[grant.length + 2] = "client_secret";
        form[grant.length + 3] = settings.secretKey();
        BaiduClient.TokenAnswer answer = client.token(what, form);
        JsonNode body = answer.body();
        String error = body == null ? "" : Json.textOr(body, "error");
        if (answer.status() == 200 && body != null && error.isEmpty()) {
            return parse(body, what);
        }
        if (error.isEmpty()) {
            throw BaiduErrors.forStatus(answer.status() == 200 ? 502 : answer.status(), answer.headers(), what);
        }
        String said = what + ": Baidu refused with " + error
                + (Json.textOr(body, "error_description").isEmpty()
                        ? ""
                        : " (" + Json.textOr(body, "error_description") + ")");
        if (GRANT_REFUSED.contains(error)) {
            throw refreshing
                    ? new ExpiredCredentialsException(said + "; authorize CloudKeep at Baidu Netdisk again")
                    : new BadCredentialsException(said + "; the code is wrong, used or expired: authorize again");
        }
        if (APP_REFUSED.contains(error)) {
            throw new PermanentProviderException(said + "; check appKey and secretKey of " + BaiduProvider.PID);
        }
        if (answer.status() == 429 || answer.status() >= 500) {
            throw BaiduErrors.forStatus(answer.status(), answer.headers(), said);
        }
        throw new PermanentProviderException(said);
    }

    private static Tokens parse(JsonNode body, String what) throws PermanentProviderException {
        String access = Json.text(body, "access_token", what);
        String refresh = Json.text(body, "refresh_token", what);
        long expiresIn = Json.number(body, "expires_in", what);
        if (access.isBlank() || refresh.isBlank() || expiresIn <= 0 || expiresIn > 100L * 365 * 24 * 3600) {
            throw Json.malformed(what, "an empty token or an expiry of " + expiresIn + " s");
        }
        return new Tokens(access, refresh, Instant.now().plusSeconds(expiresIn));
    }

    private static String noApp() {
        return "no Baidu app is configured: set appKey and secretKey in the configuration " + BaiduProvider.PID;
    }
}
