package org.cloudkeep.provider.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.provider.s3.CannedS3.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error answers, cut and stalled bodies, and a closed port, each onto the api's typed exception. */
class S3ErrorMappingTest {

    private CannedS3 server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ProviderException listFails(Reply reply) throws Exception {
        server = new CannedS3(request -> reply);
        S3Session session = server.session(CannedS3.settings(1000));
        return assertThrows(ProviderException.class, () -> session.list("/", null));
    }

    @ParameterizedTest
    @CsvSource({
        "403, AccessDenied, BadCredentialsException",
        "403, InvalidAccessKeyId, BadCredentialsException",
        "403, SignatureDoesNotMatch, BadCredentialsException",
        "401, '', BadCredentialsException",
        "400, ExpiredToken, ExpiredCredentialsException",
        "404, NoSuchKey, NotFoundException",
        "404, NoSuchBucket, NotFoundException",
        "404, '', NotFoundException",
        "500, InternalError, TransientProviderException",
        "502, '', TransientProviderException",
        "400, InvalidArgument, PermanentProviderException",
        "403, RequestTimeTooSkewed, PermanentProviderException",
        "301, PermanentRedirect, PermanentProviderException",
    })
    void statusAndCodeDecideTheKind(int status, String code, String kind) throws Exception {
        ProviderException e = listFails(Reply.xml(status, code.isEmpty() ? "" : CannedS3.error(code)));
        assertEquals(kind, e.getClass().getSimpleName(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
    }

    @Test
    void anHtmlErrorPageFallsBackOnTheStatus() throws Exception {
        ProviderException e = listFails(Reply.of(403, Map.of(), "<html><body>Forbidden</body></html>"));
        assertEquals(BadCredentialsException.class, e.getClass());
    }

    @Test
    void rateLimitsCarryTheirRetryAfter() throws Exception {
        RateLimitedException seconds =
                (RateLimitedException) listFails(Reply.of(429, Map.of("Retry-After", "7"), CannedS3.error("SlowDown")));
        assertEquals(Duration.ofSeconds(7), seconds.retryAfter());
        server.close();

        RateLimitedException none = (RateLimitedException) listFails(Reply.xml(503, CannedS3.error("SlowDown")));
        assertEquals(Duration.ZERO, none.retryAfter());
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2024-03-01T10:00:00Z");
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertEquals(Duration.ofSeconds(90), S3Errors.retryAfter(headers("Retry-After", date), now));
        assertEquals(Duration.ofSeconds(3), S3Errors.retryAfter(headers("Retry-After", " 3 "), now));
        assertEquals(Duration.ZERO, S3Errors.retryAfter(headers("Retry-After", "soon"), now));
        assertEquals(Duration.ZERO, S3Errors.retryAfter(headers("Retry-After", "99999999999999999999999"), now));
        assertEquals(Duration.ZERO, S3Errors.retryAfter(headers("X-Other", "1"), now));
        String past =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(5).atOffset(ZoneOffset.UTC));
        assertEquals(Duration.ZERO, S3Errors.retryAfter(headers("Retry-After", past), now));
    }

    @Test
    void aBodyCutShortIsTransientAndAWholeButTruncatedDocumentPermanent() throws Exception {
        String xml = CannedS3.listing(CannedS3.object("root%2Fa", 1, "x"));
        String half = xml.substring(0, xml.length() / 2);
        ProviderException cut = listFails(Reply.xml(200, half).cutAfterBody(xml.length()));
        assertEquals(TransientProviderException.class, cut.getClass(), cut.getMessage());
        server.close();

        ProviderException truncated = listFails(Reply.xml(200, half));
        assertEquals(PermanentProviderException.class, truncated.getClass(), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("not well-formed XML"), truncated.getMessage());
    }

    @Test
    @Timeout(60) // a guard: without the read time-out this test would hang, not fail
    void aStalledListingTimesOut() throws Exception {
        ProviderException e = listFails(Reply.xml(200, "<ListBucketResult>").stalled());
        assertEquals(TransientProviderException.class, e.getClass(), e.getMessage());
    }

    @Test
    @Timeout(60)
    void aStalledDownloadFailsTheReadInsteadOfHanging() throws Exception {
        server = new CannedS3(request -> Reply.of(200, Map.of(), "first bytes").stalled());
        S3Session session = server.session(CannedS3.settings(1000));
        try (InputStream in = session.open("/f", 0)) {
            assertEquals("first bytes", new String(in.readNBytes(11)));
            assertThrows(IOException.class, in::read);
            assertThrows(IOException.class, in::read, "a failed body never turns into a clean end");
        }
    }

    @Test
    void aClosedPortIsTransient() throws Exception {
        server = new CannedS3(request -> Reply.xml(200, ""));
        S3Session session = server.session(CannedS3.settings(1000));
        server.close();
        assertThrows(TransientProviderException.class, () -> session.stat("/f"));
    }

    @Test
    void connectRefusesWrongKeysAndMissingBucketsAsCredentials() throws Exception {
        S3Provider provider = new S3Provider(CannedS3.settings(1000));
        server = new CannedS3(request -> Reply.xml(403, CannedS3.error("SignatureDoesNotMatch")));
        assertThrows(BadCredentialsException.class, () -> provider.connect(server.credentials()));

        server.answer(request -> Reply.xml(404, CannedS3.error("NoSuchBucket")));
        BadCredentialsException e =
                assertThrows(BadCredentialsException.class, () -> provider.connect(server.credentials()));
        assertTrue(e.getMessage().contains("bucket 'b' was not found"), e.getMessage());

        server.answer(request -> Reply.xml(400, CannedS3.error("ExpiredToken")));
        assertThrows(ExpiredCredentialsException.class, () -> provider.connect(server.credentials()));

        server.answer(request -> Reply.xml(200, CannedS3.listing("")));
        provider.connect(server.credentials()).close();
        assertEquals(
                "1", server.requests().get(server.requests().size() - 1).query().get("max-keys"));
    }

    @Test
    void headErrorsHaveNoBodyAndStillMap() throws Exception {
        server = new CannedS3(request -> Reply.of(403, Map.of(), ""));
        S3Session session = server.session(CannedS3.settings(1000));
        assertThrows(BadCredentialsException.class, () -> session.stat("/f"));
        server.answer(request -> Reply.of(404, Map.of(), ""));
        assertThrows(NotFoundException.class, () -> session.open("/f", 0));
        server.answer(request -> Reply.of(400, Map.of(), ""));
        assertThrows(PermanentProviderException.class, () -> session.stat("/f"));
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }
}
