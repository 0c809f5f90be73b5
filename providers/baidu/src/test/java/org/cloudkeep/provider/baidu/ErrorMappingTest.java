package org.cloudkeep.provider.baidu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.junit.jupiter.api.Test;

/** Baidu's errno bodies, HTTP statuses and broken answers, as the api's typed exceptions. */
class ErrorMappingTest extends WithDouble {

    @Test
    void frequencyControlIsARateLimitWithTheConfiguredWait() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.rateLimitNext(BaiduDouble.LIST);
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> session.list("/", null));
            assertEquals(Duration.ofSeconds(60), e.retryAfter(), "Baidu says no Retry-After: the default wait");
            assertTrue(e.getMessage().contains("31034"), e.getMessage());
            assertEquals(List.of(), session.list("/", null).entries(), "the next call goes through");
        }
        BaiduSettings usual = baidu.settings();
        BaiduProvider patient = new BaiduProvider(new BaiduSettings(
                usual.appKey(),
                usual.secretKey(),
                usual.apiUrl(),
                usual.oauthUrl(),
                1000,
                Duration.ofSeconds(7),
                usual.connectTimeout(),
                usual.readTimeout()));
        baidu.rateLimitNext(BaiduDouble.UINFO);
        assertEquals(
                Duration.ofSeconds(7),
                assertThrows(RateLimitedException.class, () -> patient.connect(account))
                        .retryAfter());
    }

    @Test
    void http429And503CarryRetryAfterInSecondsOrAsADate() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.LIST, 429, "", Map.of("Retry-After", "12"));
            assertEquals(Duration.ofSeconds(12), rateLimit(session).retryAfter());

            String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));
            baidu.answerNext(BaiduDouble.LIST, 503, "busy", Map.of("Retry-After", inTwoMinutes));
            Duration wait = rateLimit(session).retryAfter();
            assertTrue(
                    wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(Duration.ofMinutes(2)) <= 0, wait.toString());

            baidu.answerNext(BaiduDouble.LIST, 503, "");
            assertEquals(Duration.ZERO, rateLimit(session).retryAfter(), "no Retry-After: zero");
        }
    }

    @Test
    void serverErrorsAreTransientAndUnknownErrnosPermanent() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.LIST, 500, "<html>oops</html>");
            assertThrows(TransientProviderException.class, () -> session.list("/", null));
            baidu.answerNext(BaiduDouble.LIST, 502, "{\"error_code\":31212,\"error_msg\":\"service unavailable\"}");
            TransientProviderException gateway =
                    assertThrows(TransientProviderException.class, () -> session.list("/", null));
            assertTrue(gateway.getMessage().contains("31212"), gateway.getMessage());
            baidu.answerNext(BaiduDouble.LIST, 404, "x".repeat(200_000));
            assertThrows(NotFoundException.class, () -> session.list("/", null), "a long error page is still a 404");

            baidu.answerNext(BaiduDouble.LIST, 200, "{\"errno\":12345,\"errmsg\":\"something new\",\"request_id\":1}");
            PermanentProviderException unknown =
                    assertThrows(PermanentProviderException.class, () -> session.list("/", null));
            assertTrue(unknown.getMessage().contains("12345"), unknown.getMessage());
            assertTrue(unknown.getMessage().contains("something new"), unknown.getMessage());
        }
    }

    @Test
    void missingFoldersAreNotFoundInBothListings() throws Exception {
        try (ProviderSession session = connect()) {
            assertThrows(NotFoundException.class, () -> session.list("/nowhere", null)); // errno -9
            assertThrows(NotFoundException.class, () -> session.listTree("/nowhere", null)); // errno 31066
            baidu.answerNext(BaiduDouble.LIST, 404, "");
            assertThrows(NotFoundException.class, () -> session.list("/", null));
        }
    }

    @Test
    void http401RenewsTheTokenOnceThenRetries() throws Exception {
        files.write("/a.txt", bytes("a"));
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.LIST, 401, "");
            assertEquals(List.of("/a.txt"), paths(session.list("/", null)));
            assertFalse(session.renewedCredentials().isEmpty(), "the refused token was renewed");

            baidu.answerNext(BaiduDouble.LIST, 403, "");
            baidu.answerNext(BaiduDouble.LIST, 403, "");
            assertThrows(BadCredentialsException.class, () -> session.list("/", null), "renewed once per call only");
        }
        try (ProviderSession session = provider.connect(
                Map.of(Tokens.ACCESS_TOKEN, baidu.authorizedAccount().get(Tokens.ACCESS_TOKEN)))) {
            baidu.answerNext(BaiduDouble.LIST, 401, "");
            assertThrows(BadCredentialsException.class, () -> session.list("/", null));
        }
    }

    @Test
    void brokenAnswersArePermanentAndSayWhatWasWrong() throws Exception {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("{\"errno\":0,\"list\":[{\"server_filename\":\"a\"", "not valid JSON");
        broken.put("{\"errno\":0,\"list\":[]} trailing", "not valid JSON");
        broken.put("[1,2,3]", "not a JSON object");
        broken.put("{\"errno\":0}", "no 'list' array");
        broken.put("{\"errno\":\"zero\",\"list\":[]}", "errno");
        broken.put(
                listAnswer("{\"server_filename\":\"a\",\"path\":\"/a\",\"isdir\":0,\"fs_id\":1,\"server_mtime\":1}"),
                "'size'");
        broken.put(
                listAnswer("{\"server_filename\":\"a\",\"path\":\"/a\",\"isdir\":2,\"size\":1,\"fs_id\":1,"
                        + "\"server_mtime\":1}"),
                "'isdir'");
        broken.put(
                listAnswer("{\"server_filename\":\"a\",\"path\":\"/a\",\"isdir\":0,\"size\":-5,\"fs_id\":1,"
                        + "\"server_mtime\":1}"),
                "negative size");
        broken.put(
                listAnswer("{\"server_filename\":\"a\",\"path\":\"/a\",\"isdir\":0,\"size\":5,\"fs_id\":1,"
                        + "\"server_mtime\":99999999999999}"),
                "server_mtime");
        broken.put(
                listAnswer("{\"server_filename\":7,\"path\":\"/a\",\"isdir\":0,\"size\":5,\"fs_id\":1,"
                        + "\"server_mtime\":1}"),
                "'server_filename'");
        broken.put("", "not a JSON object");
        try (ProviderSession session = connect()) {
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, String> answer : broken.entrySet()) {
                baidu.answerNext(BaiduDouble.LIST, 200, answer.getKey());
                try {
                    session.list("/", null);
                    wrong.add(answer.getKey() + " was accepted");
                } catch (PermanentProviderException e) {
                    if (!e.getMessage().contains(answer.getValue())) {
                        wrong.add(answer.getKey() + " gave '" + e.getMessage() + "'");
                    }
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void aServerThatIsGoneIsTransient() throws Exception {
        BaiduSettings settings = baidu.settings();
        baidu.close();
        assertThrows(TransientProviderException.class, () -> new BaiduProvider(settings).connect(account));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (accepted.size() < 10) {
                        accepted.add(silent.accept()); // and never answer
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            BaiduProvider impatient = new BaiduProvider(new BaiduSettings(
                    "k", "s", url, url, 1000, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(1)));
            TransientProviderException e =
                    assertThrows(TransientProviderException.class, () -> impatient.connect(account));
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
            silent.close();
            acceptor.join(10_000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static RateLimitedException rateLimit(ProviderSession session) {
        return assertThrows(RateLimitedException.class, () -> session.list("/", null));
    }
}
