package org.cloudkeep.provider.baidu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

/** Authorizing an account, and keeping it authorized as tokens expire. */
class OAuthFlowTest extends WithDouble {

    private final OAuth2Request request =
            new OAuth2Request(URI.create("https://cloudkeep.example/oauth/baidu?x=1"), "state-123", "v".repeat(43));

    @Test
    void theAuthorizePageGetsWhatBaiduDocuments() {
        URI uri = flow().authorizeUri(request);
        assertEquals(
                baidu.url() + "/oauth/2.0/authorize", uri.getScheme() + "://" + uri.getAuthority() + uri.getPath());
        Map<String, String> query = BaiduDouble.parameters(uri.getRawQuery());
        assertEquals("code", query.get("response_type"));
        assertEquals(BaiduDouble.APP_KEY, query.get("client_id"));
        assertEquals("https://cloudkeep.example/oauth/baidu?x=1", query.get("redirect_uri"));
        assertEquals("basic,netdisk", query.get("scope"));
        assertEquals("state-123", query.get("state"));
        assertFalse(query.containsKey("client_secret"), "the secret never goes to the browser");
    }

    @Test
    void theCodeBecomesCredentialsThatConnect() throws Exception {
        Map<String, String> credentials = flow().exchange(request, signIn());
        assertEquals(Set.of(Tokens.ACCESS_TOKEN, Tokens.REFRESH_TOKEN, Tokens.EXPIRES_AT), credentials.keySet());
        Instant expiresAt = Instant.parse(credentials.get(Tokens.EXPIRES_AT));
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofDays(29))), "a 30-day token: " + expiresAt);
        try (ProviderSession session = provider.connect(credentials)) {
            assertEquals(0, session.list("/", null).entries().size());
            assertEquals(Map.of(), session.renewedCredentials(), "nothing renewed");
        }
    }

    @Test
    void aCodeWorksOnce() throws Exception {
        String code = signIn();
        flow().exchange(request, code);
        assertThrows(BadCredentialsException.class, () -> flow().exchange(request, code));
        assertThrows(BadCredentialsException.class, () -> flow().exchange(request, "made-up"));
    }

    @Test
    void anExpiredTokenIsRenewedAndTheNewSingleUseRefreshTokenReported() throws Exception {
        files.write("/a.txt", bytes("a"));
        try (ProviderSession session = connect()) {
            baidu.expireAccessTokens(); // errno 111 from now on
            assertEquals(1, session.list("/", null).entries().size());
            Map<String, String> renewed = session.renewedCredentials();
            assertNotEquals(account.get(Tokens.ACCESS_TOKEN), renewed.get(Tokens.ACCESS_TOKEN));
            assertNotEquals(account.get(Tokens.REFRESH_TOKEN), renewed.get(Tokens.REFRESH_TOKEN));
            // The renewed credentials work on their own, and the old refresh token is spent.
            try (ProviderSession again = provider.connect(renewed)) {
                assertEquals(1, again.list("/", null).entries().size());
            }
            ExpiredCredentialsException spent =
                    assertThrows(ExpiredCredentialsException.class, () -> provider.connect(account));
            assertTrue(spent.getMessage().contains("has been used"), spent.getMessage());
        }
    }

    @Test
    void aTokenPastItsKnownExpiryIsRenewedBeforeTheCall() throws Exception {
        Map<String, String> stale = new HashMap<>(account);
        stale.put(Tokens.EXPIRES_AT, Instant.now().minusSeconds(10).toString());
        try (ProviderSession session = provider.connect(stale)) {
            assertEquals(1, baidu.calls(BaiduDouble.TOKEN), "renewed once, before the first call");
            assertFalse(session.renewedCredentials().isEmpty());
        }
    }

    @Test
    void aRefusedRenewalMeansAuthorizeAgain() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.expireAccessTokens();
            baidu.revokeRefreshTokens();
            ExpiredCredentialsException e =
                    assertThrows(ExpiredCredentialsException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("authorize"), e.getMessage());
            assertEquals(Map.of(), session.renewedCredentials());
        }
    }

    @Test
    void anExpiredTokenWithoutRefreshTokenIsExpiredCredentials() {
        baidu.expireAccessTokens();
        assertThrows(
                ExpiredCredentialsException.class,
                () -> provider.connect(Map.of(Tokens.ACCESS_TOKEN, account.get(Tokens.ACCESS_TOKEN))));
    }

    @Test
    void aRefusedTokenWithoutRefreshTokenIsBadCredentials() {
        BadCredentialsException e = assertThrows(
                BadCredentialsException.class, () -> provider.connect(Map.of(Tokens.ACCESS_TOKEN, "121.made-up")));
        assertFalse(e instanceof ExpiredCredentialsException);
        assertTrue(e.getMessage().contains("-6"), e.getMessage());
        assertThrows(BadCredentialsException.class, () -> provider.connect(Map.of()));
    }

    @Test
    void aWrongAppSecretIsAConfigurationProblemNamingThePid() {
        BaiduSettings usual = baidu.settings();
        BaiduProvider misconfigured =
                new BaiduProvider(BaiduSettings.of(usual.appKey(), "wrong-secret", usual.apiUrl(), usual.oauthUrl()));
        baidu.expireAccessTokens();
        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> misconfigured.connect(account));
        assertTrue(e.getMessage().contains(BaiduProvider.PID), e.getMessage());
    }

    @Test
    void withoutAnAppThereIsNoFlowToStart() {
        BaiduProvider unconfigured = new BaiduProvider(BaiduSettings.of("", "", baidu.url(), baidu.url()));
        OAuth2Flow flow = unconfigured.oauth2().orElseThrow();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> flow.authorizeUri(request));
        assertTrue(e.getMessage().contains(BaiduProvider.PID), e.getMessage());
        assertThrows(PermanentProviderException.class, () -> flow.exchange(request, "code"));
    }

    private OAuth2Flow flow() {
        return provider.oauth2().orElseThrow();
    }

    /** What the person's browser does: open the authorize page, sign in, come back with a code. */
    private String signIn() throws Exception {
        HttpResponse<Void> response = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(
                        HttpRequest.newBuilder(flow().authorizeUri(request)).build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(302, response.statusCode());
        URI back = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertTrue(back.toString().startsWith("https://cloudkeep.example/oauth/baidu?x=1&"), back.toString());
        Map<String, String> query = BaiduDouble.parameters(back.getRawQuery());
        assertEquals("state-123", query.get("state"));
        return query.get("code");
    }
}
