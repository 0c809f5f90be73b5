package org.cloudkeep.provider.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.provider.webdav.CannedServer.Answer;
import org.cloudkeep.provider.webdav.CannedServer.Request;
import org.junit.jupiter.api.Test;

/** Downloads, which read their answer on the caller's thread: what a broken or hostile answer does to one. */
class DownloadTest {

    /** More than the socket buffers hold, so that an abandoned answer is still being sent. */
    private static final byte[] BIG = new byte[4 << 20];

    static {
        new Random(42).nextBytes(BIG);
    }

    @Test
    void aBodyCutShortIsABrokenDownloadNotAShortFile() throws Exception {
        byte[] half = Arrays.copyOf(BIG, BIG.length / 2);
        try (CannedServer server = serving(r -> new Answer(200, Map.of(), half, BIG.length, false));
                ProviderSession session = server.connect();
                InputStream in = session.open("/file", 0)) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains(half.length + " of " + BIG.length + " bytes"), e.getMessage());
        }
    }

    @Test
    void aServerThatStopsSendingMidDownloadTimesOut() throws Exception {
        byte[] start = Arrays.copyOf(BIG, 1000);
        try (CannedServer server = serving(r -> new Answer(200, Map.of(), start, 0, true));
                ProviderSession session =
                        server.connect(WebDavSettings.DEFAULTS.withReadTimeout(Duration.ofMillis(300)));
                InputStream in = session.open("/file", 0)) {
            assertInstanceOf(SocketTimeoutException.class, assertThrows(IOException.class, in::readAllBytes));
        }
    }

    @Test
    void eachStatusHasItsKindAndRedirectsAreNotFollowed() throws Exception {
        assertInstanceOf(BadCredentialsException.class, failure(Answer.of(401, "expired")));
        assertInstanceOf(NotFoundException.class, failure(Answer.of(404, "gone")));
        assertInstanceOf(PermanentProviderException.class, failure(Answer.of(403, "forbidden")));
        assertInstanceOf(TransientProviderException.class, failure(Answer.of(500, "trouble")));
        ProviderException slow = failure(Answer.of(429, "slow down").withHeader("Retry-After", "7"));
        assertEquals(
                Duration.ofSeconds(7),
                assertInstanceOf(RateLimitedException.class, slow).retryAfter());
        try (CannedServer server = serving(r -> r.rawPath().equals("/dav/file")
                        ? Answer.of(302, "").withHeader("Location", "/elsewhere")
                        : Answer.of(200, "the password would be sent here"));
                ProviderSession session = server.connect()) {
            ProviderException redirect = assertThrows(ProviderException.class, () -> session.open("/file", 0));
            assertInstanceOf(PermanentProviderException.class, redirect);
            assertTrue(redirect.getMessage().contains("/elsewhere"), redirect.getMessage());
            assertTrue(
                    server.requests().stream().noneMatch(r -> r.rawPath().equals("/elsewhere")),
                    "the redirect was followed");
        }
    }

    @Test
    void abandonedAndWholeDownloadsLeaveTheNextOnesIntact() throws Exception {
        try (CannedServer server = serving(r -> r.range() == null
                        ? new Answer(200, Map.of(), BIG, -1, false)
                        : new Answer(
                                206,
                                Map.of("Content-Range", "bytes 100-" + (BIG.length - 1) + "/" + BIG.length),
                                Arrays.copyOfRange(BIG, 100, BIG.length),
                                -1,
                                false));
                ProviderSession session = server.connect()) {
            for (int i = 0; i < 3; i++) {
                try (InputStream in = session.open("/file", 0)) {
                    assertEquals(BIG[0] & 0xff, in.read());
                    in.readNBytes(10); // then abandoned: the rest of the answer must not reach the next one
                }
                try (InputStream in = session.open("/file", 0)) {
                    assertArrayEquals(BIG, in.readAllBytes());
                }
                try (InputStream in = session.open("/file", 100)) {
                    assertArrayEquals(Arrays.copyOfRange(BIG, 100, BIG.length), in.readAllBytes());
                }
            }
            String expected =
                    "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            List<Request> gets = server.requests().stream()
                    .filter(r -> r.method().equals("GET"))
                    .toList();
            assertEquals(9, gets.size());
            assertTrue(gets.stream().allMatch(r -> expected.equals(r.authorization())), "sent without a challenge");
        }
    }

    private static ProviderException failure(Answer answer) throws Exception {
        try (CannedServer server = serving(r -> answer);
                ProviderSession session = server.connect()) {
            return assertThrows(ProviderException.class, () -> session.open("/file", 0));
        }
    }

    /** Serves /dav/file with this answer to every GET; the root for the connect check. */
    private static CannedServer serving(Function<Request, Answer> get) throws Exception {
        return new CannedServer(r -> r.method().equals("GET") ? get.apply(r) : null);
    }
}
