package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.provider.dropbox.DropboxDouble.Canned;
import org.junit.jupiter.api.Test;

/** How Dropbox's error answers reach the caller: each as the api's typed exception. */
class ErrorMappingTest extends DoubleTest {

    private static final String LIST = "/2/files/list_folder";
    private static final String META = "/2/files/get_metadata";
    private static final String DOWNLOAD = "/2/files/download";
    private static final String TOO_MANY =
            "{\"error_summary\": \"too_many_requests/..\", \"error\": {\"reason\": {\".tag\": \"too_many_requests\"}, "
                    + "\"retry_after\": 300}}";

    @Test
    void aMissingPathIsNotFoundForListStatAndOpen() throws Exception {
        server.write("/file.txt", utf8("x"));
        try (ProviderSession session = connect()) {
            assertThrows(NotFoundException.class, () -> session.list("/nothing", null));
            assertThrows(NotFoundException.class, () -> session.stat("/nothing"));
            assertThrows(NotFoundException.class, () -> session.open("/nothing", 0));
            // A file is not a folder, a folder not a file: refused, but not as missing.
            assertThrows(PermanentProviderException.class, () -> session.list("/file.txt", null));
            server.mkdirs("/folder");
            assertThrows(PermanentProviderException.class, () -> session.open("/folder", 0));
        }
    }

    @Test
    void rateLimitsCarryTheWaitDropboxAskedFor() throws Exception {
        try (ProviderSession session = connect()) {
            server.enqueue(LIST, Canned.json(429, TOO_MANY).withHeader("Retry-After", "7"));
            assertEquals(Duration.ofSeconds(7), rateLimited(() -> session.list("/", null)));

            server.enqueue(LIST, Canned.json(429, TOO_MANY)); // no header: the JSON retry_after
            assertEquals(Duration.ofSeconds(300), rateLimited(() -> session.list("/", null)));

            server.enqueue(LIST, Canned.text(429, "slow down"));
            assertEquals(Duration.ZERO, rateLimited(() -> session.list("/", null)));

            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
            server.enqueue(META, Canned.text(503, "busy").withHeader("Retry-After", date));
            Duration wait = rateLimited(() -> session.stat("/x"));
            assertTrue(
                    wait.compareTo(Duration.ofMinutes(55)) > 0 && wait.compareTo(Duration.ofMinutes(61)) < 0,
                    "about an hour: " + wait);

            server.enqueue(DOWNLOAD, Canned.json(429, TOO_MANY).withHeader("Retry-After", "2"));
            assertEquals(Duration.ofSeconds(2), rateLimited(() -> session.open("/x", 0)));
        }
    }

    @Test
    void serverTroubleIsTransient() throws Exception {
        try (ProviderSession session = connect()) {
            for (int status : new int[] {500, 502, 504}) {
                server.enqueue(LIST, Canned.text(status, "oops"));
                TransientProviderException e =
                        assertThrows(TransientProviderException.class, () -> session.list("/", null));
                assertFalse(e instanceof RateLimitedException);
                assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
            }
        }
    }

    @Test
    void credentialErrorsAreTypedByTheirTag() throws Exception {
        try (ProviderSession session = connect()) {
            server.enqueue(
                    LIST,
                    Canned.json(
                            401,
                            "{\"error_summary\": \"invalid_access_token/...\", \"error\": {\".tag\": \"invalid_access_token\"}}"));
            BadCredentialsException bad = assertThrows(BadCredentialsException.class, () -> session.list("/", null));
            assertFalse(bad instanceof ExpiredCredentialsException);

            server.enqueue(
                    LIST,
                    Canned.json(
                            401,
                            "{\"error_summary\": \"user_suspended/...\", \"error\": {\".tag\": \"user_suspended\"}}"));
            assertThrows(BadCredentialsException.class, () -> session.list("/", null));

            server.enqueue(META, Canned.text(403, "Forbidden"));
            assertThrows(BadCredentialsException.class, () -> session.stat("/x"));
        }
    }

    @Test
    void aPlain404IsNotFoundAndA400IsPermanent() throws Exception {
        try (ProviderSession session = connect()) {
            server.enqueue(META, Canned.text(404, "Not Found"));
            assertThrows(NotFoundException.class, () -> session.stat("/x"));
            server.enqueue(META, Canned.text(400, "Error in call to API function \"files/get_metadata\": bad"));
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> session.stat("/x"));
            assertTrue(e.getMessage().contains("bad"), e.getMessage());
        }
    }

    @Test
    void malformedOrTruncatedAnswersAreTypedNotThrownRaw() throws Exception {
        try (ProviderSession session = connect()) {
            server.enqueue(LIST, Canned.json(200, "{\"entries\": [{\".tag\": \"file\", "));
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

            server.enqueue(LIST, Canned.json(200, "[1, 2, 3]"));
            assertThrows(PermanentProviderException.class, () -> session.list("/", null));

            server.enqueue(LIST, Canned.json(200, "{\"cursor\": \"c\", \"has_more\": false}"));
            e = assertThrows(PermanentProviderException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("entries"), e.getMessage());

            server.enqueue(LIST, Canned.json(200, "{\"entries\": [], \"has_more\": true}"));
            e = assertThrows(PermanentProviderException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("cursor"), e.getMessage());

            server.enqueue(LIST, Canned.json(200, "{\"entries\": [], \"cursor\": \"c\", \"has_more\": \"yes\"}"));
            assertThrows(PermanentProviderException.class, () -> session.list("/", null));

            // The connection breaks off before the promised length: the answer may come whole next time.
            server.enqueue(
                    LIST, Canned.json(200, "{\"entries\": [], \"cursor\"").truncate());
            assertThrows(TransientProviderException.class, () -> session.list("/", null));
            server.write("/big.bin", new byte[100_000]);
            server.enqueue(DOWNLOAD, Canned.text(200, "only the start").truncate());
            assertThrows(IOException.class, () -> read(session, "/big.bin", 0));
        }
    }

    @Test
    void aServerThatStallsTimesOutInsteadOfHanging() throws Exception {
        DropboxProvider impatient = new DropboxProvider(server.settings(Duration.ofSeconds(1)));
        try (ProviderSession session = impatient.connect(credentials)) {
            server.enqueue(LIST, Canned.stalled());
            TransientProviderException e =
                    assertThrows(TransientProviderException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        }
    }

    @Test
    void aDownloadThatStallsMidwayTimesOutInsteadOfHanging() throws Exception {
        server.write("/big.bin", new byte[100_000]);
        DropboxProvider impatient = new DropboxProvider(server.settings(Duration.ofSeconds(1)));
        try (ProviderSession session = impatient.connect(credentials)) {
            server.enqueue(DOWNLOAD, Canned.text(200, "the first bytes").stallAfterBody());
            try (InputStream in = session.open("/big.bin", 0)) {
                assertEquals("the first bytes", new String(in.readNBytes(15), StandardCharsets.UTF_8));
                assertThrows(SocketTimeoutException.class, in::read);
            }
        }
    }

    @Test
    void aServerThatIsNotThereIsTransient() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        DropboxSettings s = server.settings();
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        DropboxProvider lost = new DropboxProvider(new DropboxSettings(
                s.appKey(), s.appSecret(), nowhere, nowhere, s.authorizeUrl(), s.connectTimeout(), s.readTimeout()));
        assertThrows(TransientProviderException.class, () -> lost.connect(credentials));
    }

    /** The wait a call's RateLimitedException carries. */
    private static Duration rateLimited(ThrowingCall call) {
        return assertThrows(RateLimitedException.class, call::run).retryAfter();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws ProviderException, IOException;
    }
}
