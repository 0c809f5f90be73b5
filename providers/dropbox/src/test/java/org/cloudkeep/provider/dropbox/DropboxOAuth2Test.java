package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

class DropboxOAuth2Test extends DoubleTest {

    private static final OAuth2Request REQUEST = new OAuth2Request(
            URI.create("https://cloud.example/oauth/dropbox?x=1"), "state-123", "v".repeat(43) + "-._~");

    private OAuth2Flow flow() {
        return provider.oauth2().orElseThrow();
    }

    @Test
    void theAuthorizeUrlCarriesWhatDropboxNeeds() {
        URI uri = flow().authorizeUri(REQUEST);
        assertEquals("https", uri.getScheme());
        assertEquals("www.dropbox.com", uri.getHost());
        assertEquals("/oauth2/authorize", uri.getPath());
        Map<String, String> query = query(uri);
        assertEquals("code", query.get("response_type"));
        assertEquals(DropboxDouble.APP_KEY, query.get("client_id"));
        assertEquals("https://cloud.example/oauth/dropbox?x=1", query.get("redirect_uri"));
        assertEquals("state-123", query.get("state"));
        assertEquals(REQUEST.codeChallenge(), query.get("code_challenge"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals("offline", query.get("token_access_type"));
        assertFalse(query.containsKey("client_secret"), "the secret never goes through the browser");
    }

    @Test
    void withoutAnAppKeyNoAuthorizationStarts() {
        DropboxProvider unregistered = new DropboxProvider(DropboxSettings.dropbox("", ""));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> unregistered.oauth2().orElseThrow().authorizeUri(REQUEST));
        assertTrue(e.getMessage().contains(DropboxProvider.PID), e.getMessage());
        assertThrows(
                PermanentProviderException.class,
                () -> unregistered.oauth2().orElseThrow().exchange(REQUEST, "code"));
    }

    @Test
    void theCodeIsExchangedForCredentialsThatWork() throws Exception {
        String code = server.approve(REQUEST.redirectUri().toString(), REQUEST.codeChallenge());
        Map<String, String> credentials = flow().exchange(REQUEST, code);
        assertNotNull(credentials.get(DropboxProvider.ACCESS_TOKEN));
        assertNotNull(credentials.get(DropboxProvider.REFRESH_TOKEN));
        long expiresAt = Long.parseLong(credentials.get(DropboxProvider.EXPIRES_AT));
        assertTrue(expiresAt > Instant.now().getEpochSecond(), "expiry in the future: " + expiresAt);
        server.write("/hello.txt", utf8("hi"));
        try (ProviderSession session = provider.connect(credentials)) {
            assertEquals(2, session.stat("/hello.txt").size());
        }
        // The code is used up, as at Dropbox.
        assertThrows(BadCredentialsException.class, () -> flow().exchange(REQUEST, code));
    }

    @Test
    void aWrongVerifierOrRedirectOrCodeIsRefused() {
        String challenge = REQUEST.codeChallenge();
        String code = server.approve(REQUEST.redirectUri().toString(), challenge);
        OAuth2Request otherVerifier = new OAuth2Request(REQUEST.redirectUri(), REQUEST.state(), "w".repeat(43));
        assertThrows(BadCredentialsException.class, () -> flow().exchange(otherVerifier, code));

        String code2 = server.approve("https://elsewhere.example/cb", challenge);
        assertThrows(BadCredentialsException.class, () -> flow().exchange(REQUEST, code2));
        assertThrows(BadCredentialsException.class, () -> flow().exchange(REQUEST, "code.never-issued"));
    }

    @Test
    void aWrongAppSecretIsAConfigurationProblemNotTheAccounts() {
        DropboxSettings s = server.settings();
        DropboxProvider misconfigured = new DropboxProvider(new DropboxSettings(
                s.appKey(),
                "wrong",
                s.apiUrl(),
                s.contentUrl(),
                s.authorizeUrl(),
                s.connectTimeout(),
                s.readTimeout()));
        String code = server.approve(REQUEST.redirectUri().toString(), REQUEST.codeChallenge());
        PermanentProviderException e = assertThrows(
                PermanentProviderException.class,
                () -> misconfigured.oauth2().orElseThrow().exchange(REQUEST, code));
        assertTrue(e.getMessage().contains("appSecret"), e.getMessage());
    }

    @Test
    void aTokenAnswerWithoutAUsableTokenIsMalformed() throws Exception {
        for (String body : new String[] {
            "{\"token_type\": \"bearer\", \"expires_in\": 14400}",
            "{\"access_token\": \"sl.abc\\r\\nX-Injected: 1\", \"expires_in\": 14400}",
            "{\"access_token\": 42}",
            "{\"access_token\": \"sl.abc\", \"expires_in\": \"soon\"}",
            "not json at all"
        }) {
            server.enqueue("/oauth2/token", DropboxDouble.Canned.json(200, body));
            String code = server.approve(REQUEST.redirectUri().toString(), REQUEST.codeChallenge());
            assertThrows(PermanentProviderException.class, () -> flow().exchange(REQUEST, code), body);
        }
    }

    @Test
    void anAccessTokenPastItsExpiryIsRenewedBeforeTheCall() throws Exception {
        server.write("/a.txt", utf8("abc"));
        Map<String, String> expired = new HashMap<>(credentials);
        expired.put(DropboxProvider.EXPIRES_AT, Long.toString(Instant.now().getEpochSecond() - 10));
        server.expireAccessTokens();
        try (ProviderSession session = provider.connect(expired)) {
            assertEquals(3, session.stat("/a.txt").size());
            Map<String, String> renewed = session.renewedCredentials();
            assertNotEquals(credentials.get(DropboxProvider.ACCESS_TOKEN), renewed.get(DropboxProvider.ACCESS_TOKEN));
            assertEquals(credentials.get(DropboxProvider.REFRESH_TOKEN), renewed.get(DropboxProvider.REFRESH_TOKEN));
            assertTrue(Long.parseLong(renewed.get(DropboxProvider.EXPIRES_AT))
                    > Instant.now().getEpochSecond());
            // The renewed credentials work by themselves.
            try (ProviderSession again = provider.connect(renewed)) {
                assertTrue(again.renewedCredentials().isEmpty(), "nothing to renew yet");
                assertEquals(3, again.stat("/a.txt").size());
            }
        }
    }

    @Test
    void aTokenDropboxCallsExpiredIsRenewedAndTheCallRetriedOnce() throws Exception {
        server.write("/a.txt", utf8("abc"));
        try (ProviderSession session = connect()) {
            assertTrue(session.renewedCredentials().isEmpty());
            server.expireAccessTokens(); // expiresAt still says it is valid: only the 401 tells
            assertArrayEqualsUtf8("abc", read(session, "/a.txt", 0));
            String first = session.renewedCredentials().get(DropboxProvider.ACCESS_TOKEN);
            assertNotNull(first, "renewed credentials reported");
            server.expireAccessTokens();
            assertEquals(1, session.list("/", null).entries().size());
            assertNotEquals(first, session.renewedCredentials().get(DropboxProvider.ACCESS_TOKEN));
        }
    }

    @Test
    void aRefusedRefreshMeansSignInAgain() throws Exception {
        try (ProviderSession session = connect()) {
            server.expireAccessTokens();
            server.revokeRefreshTokens();
            ExpiredCredentialsException e =
                    assertThrows(ExpiredCredentialsException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("sign in"), e.getMessage());
        }
    }

    @Test
    void withoutARefreshTokenAnExpiredTokenIsExpiredCredentials() {
        Map<String, String> accessOnly =
                Map.of(DropboxProvider.ACCESS_TOKEN, credentials.get(DropboxProvider.ACCESS_TOKEN));
        server.expireAccessTokens();
        assertThrows(ExpiredCredentialsException.class, () -> provider.connect(accessOnly));
    }

    @Test
    void anInvalidTokenIsBadNotExpired() {
        BadCredentialsException e = assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(Map.of(DropboxProvider.ACCESS_TOKEN, "sl.forged")));
        assertFalse(e instanceof ExpiredCredentialsException, "invalid_access_token is not an expiry: " + e);
        assertThrows(BadCredentialsException.class, () -> provider.connect(Map.of()));
        assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(Map.of(DropboxProvider.ACCESS_TOKEN, "x", DropboxProvider.EXPIRES_AT, "soon")));
    }

    private static void assertArrayEqualsUtf8(String expected, byte[] actual) {
        assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }
}
