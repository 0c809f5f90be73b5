package org.cloudkeep.provider.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.provider.webdav.CannedServer.Answer;
import org.junit.jupiter.api.Test;

/** What each HTTP failure becomes, at connect and afterwards. */
class ErrorMappingTest {

    /** The exception listing /f throws when the server answers that with {@code answer}. */
    private static ProviderException listingFailure(Answer answer) throws Exception {
        try (CannedServer server = new CannedServer(r -> r.rawPath().equals("/dav/f/") ? answer : null);
                ProviderSession session = server.connect()) {
            return assertThrows(ProviderException.class, () -> session.list("/f", null));
        }
    }

    /** The exception connect throws when the server answers the root's PROPFIND with {@code answer}. */
    private static ProviderException connectFailure(Answer answer) throws Exception {
        try (CannedServer server = new CannedServer(r -> answer)) {
            return assertThrows(ProviderException.class, server::connect);
        }
    }

    @Test
    void atConnectEverythingThePersonMustFixIsBadCredentials() throws Exception {
        assertInstanceOf(BadCredentialsException.class, connectFailure(Answer.of(401, "who are you")));
        assertInstanceOf(BadCredentialsException.class, connectFailure(Answer.of(403, "not yours")));
        ProviderException notFound = connectFailure(Answer.of(404, "no"));
        assertInstanceOf(BadCredentialsException.class, notFound);
        assertTrue(notFound.getMessage().contains("/dav/"), notFound.getMessage());
        assertInstanceOf(BadCredentialsException.class, connectFailure(Answer.of(200, "<html>a web page</html>")));
        assertInstanceOf(
                BadCredentialsException.class,
                connectFailure(Answer.multistatus(CannedServer.file("/dav/", 3))),
                "the URL of a file");
    }

    @Test
    void atConnectAServerInTroubleIsNotBadCredentials() throws Exception {
        ProviderException busy = connectFailure(Answer.of(503, "busy").withHeader("Retry-After", "3"));
        assertEquals(
                Duration.ofSeconds(3),
                assertInstanceOf(RateLimitedException.class, busy).retryAfter());
        assertInstanceOf(TransientProviderException.class, connectFailure(Answer.of(500, "oops")));
    }

    @Test
    void invalidCredentialFieldsAreBadCredentials() {
        WebDavProvider provider = new WebDavProvider(WebDavSettings.DEFAULTS);
        for (Map<String, String> credentials : List.of(
                Map.<String, String>of(),
                Map.of("url", "ftp://example.com/", "username", "a", "password", "b"),
                Map.of("url", "https://example.com/dav/?x=1", "username", "a", "password", "b"),
                Map.of("url", "not a url", "username", "a", "password", "b"),
                Map.of("url", "https://example.com/dav/", "password", "b"),
                Map.of("url", "https://example.com/dav/", "username", "a:b", "password", "b"),
                Map.of("url", "https://example.com/dav/", "username", "a"))) {
            assertThrows(BadCredentialsException.class, () -> provider.connect(credentials), credentials.toString());
        }
    }

    @Test
    void afterConnectEachStatusHasItsKind() throws Exception {
        assertInstanceOf(BadCredentialsException.class, listingFailure(Answer.of(401, "expired app password")));
        assertInstanceOf(NotFoundException.class, listingFailure(Answer.of(404, "gone")));
        assertInstanceOf(NotFoundException.class, listingFailure(Answer.of(410, "gone")));
        // One forbidden folder is not a reason to ask for the password again.
        assertInstanceOf(PermanentProviderException.class, listingFailure(Answer.of(403, "forbidden")));
        ProviderException redirect =
                listingFailure(Answer.of(301, "").withHeader("Location", "https://elsewhere.example/dav/f/"));
        assertInstanceOf(PermanentProviderException.class, redirect);
        assertTrue(redirect.getMessage().contains("https://elsewhere.example/dav/f/"), redirect.getMessage());
        for (int status : new int[] {500, 502, 504, 507}) {
            ProviderException failure = listingFailure(Answer.of(status, "trouble"));
            assertInstanceOf(TransientProviderException.class, failure, "HTTP " + status);
            assertFalse(failure instanceof RateLimitedException, "HTTP " + status);
        }
        assertInstanceOf(PermanentProviderException.class, listingFailure(Answer.of(400, "bad request")));
    }

    @Test
    void rateLimitsCarryTheirRetryAfter() throws Exception {
        ProviderException seconds = listingFailure(Answer.of(429, "slow down").withHeader("Retry-After", "7"));
        assertEquals(
                Duration.ofSeconds(7),
                assertInstanceOf(RateLimitedException.class, seconds).retryAfter());
        ProviderException none = listingFailure(Answer.of(503, "busy"));
        assertEquals(
                Duration.ZERO,
                assertInstanceOf(RateLimitedException.class, none).retryAfter());
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
        ProviderException dated = listingFailure(Answer.of(503, "busy").withHeader("Retry-After", inAnHour));
        Duration wait = assertInstanceOf(RateLimitedException.class, dated).retryAfter();
        assertTrue(
                wait.compareTo(Duration.ofMinutes(50)) > 0 && wait.compareTo(Duration.ofHours(1)) <= 0, wait::toString);
    }

    @Test
    void retryAfterValuesNobodyMeantAreZero() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        for (String value : List.of("", "soon", "-5", "99999999999999999999999", "Mon, 30 Nov 2026 11:00:00 GMT")) {
            HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of(value)), (a, b) -> true);
            assertEquals(Duration.ZERO, HttpFailures.retryAfter(headers, now), "'" + value + "'");
        }
        HttpHeaders date =
                HttpHeaders.of(Map.of("Retry-After", List.of("Mon, 30 Nov 2026 12:02:00 GMT")), (a, b) -> true);
        assertEquals(Duration.ofMinutes(2), HttpFailures.retryAfter(date, now));
    }

    @Test
    void aServerThatIsGoneIsTransient() throws Exception {
        CannedServer server = new CannedServer(r -> null);
        ProviderSession session = server.connect();
        server.close();
        try (session) {
            assertInstanceOf(
                    TransientProviderException.class, assertThrows(ProviderException.class, () -> session.stat("/f")));
        }
    }

    @Test
    void everyRequestCarriesTheCredentialsAndListingsAskOneLevelOnly() throws Exception {
        try (CannedServer server = new CannedServer(r ->
                        r.rawPath().equals("/dav/f/") ? Answer.multistatus(CannedServer.folder("/dav/f/")) : null);
                ProviderSession session = server.connect()) {
            session.list("/f", null);
            String expected =
                    "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            assertEquals(2, server.requests().size());
            for (CannedServer.Request request : server.requests()) {
                assertEquals(expected, request.authorization(), "sent without waiting for a challenge");
            }
            assertEquals("0", server.requests().get(0).depth(), "connect checks the root alone");
            assertEquals("1", server.requests().get(1).depth(), "never Depth: infinity");
        }
    }
}
