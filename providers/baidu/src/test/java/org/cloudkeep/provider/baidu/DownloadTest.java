package org.cloudkeep.provider.baidu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloads through fresh dlinks: the User-Agent Baidu demands, ranges, Content-MD5, expired links. */
class DownloadTest extends WithDouble {

    private final byte[] content = new byte[300_000];

    @BeforeEach
    void writeFile() throws Exception {
        new Random(7).nextBytes(content);
        files.write("/d/file.bin", content);
    }

    @Test
    void everyDownloadRequestCarriesTheUserAgentBaiduDemands() throws Exception {
        try (ProviderSession session = connect()) {
            assertArrayEquals(content, read(session, "/d/file.bin", 0));
        }
        List<String> agents = baidu.downloadUserAgents();
        assertEquals(
                List.of("pan.baidu.com", "pan.baidu.com"), agents, "the dlink and, after its redirect, the data host");
    }

    @Test
    void theDoubleRefusesADlinkWithoutThatUserAgent() throws Exception {
        String token = account.get(Tokens.ACCESS_TOKEN);
        HttpClient http = HttpClient.newHttpClient();
        URI filemetas = URI.create(baidu.url() + "/rest/2.0/xpan/multimedia?method=filemetas&dlink=1&fsids=%5B"
                + fsId("/d/file.bin") + "%5D&access_token=" + token);
        String answer = http.send(HttpRequest.newBuilder(filemetas).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        JsonNode metas = new ObjectMapper().readTree(answer);
        String dlink = metas.get("list").get(0).get("dlink").textValue();
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(URI.create(dlink + "&access_token=" + token))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());
        assertEquals(
                31326,
                new ObjectMapper().readTree(refused.body()).get("error_code").intValue());
    }

    @Test
    void rangedReadsStartAtTheOffset() throws Exception {
        try (ProviderSession session = connect()) {
            for (long offset : new long[] {1, 4096, 299_999}) {
                assertArrayEquals(
                        Arrays.copyOfRange(content, (int) offset, content.length),
                        read(session, "/d/file.bin", offset));
            }
            assertArrayEquals(new byte[0], read(session, "/d/file.bin", content.length));
            assertThrows(PermanentProviderException.class, () -> session.open("/d/file.bin", content.length + 1));
            assertThrows(PermanentProviderException.class, () -> session.open("/d/file.bin", -1));
            assertThrows(PermanentProviderException.class, () -> session.open("/d", 0));
            assertThrows(NotFoundException.class, () -> session.open("/d/none.bin", 0));
        }
    }

    @Test
    void corruptBytesFailTheReadAgainstContentMd5() throws Exception {
        baidu.corruptNextDownload();
        try (ProviderSession session = connect();
                InputStream in = session.open("/d/file.bin", 0)) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("Content-MD5"), e.getMessage());
            assertThrows(IOException.class, in::read, "and it stays failed");
        }
    }

    @Test
    void aBodyCutShortFailsTheRead() throws Exception {
        baidu.truncateNextDownload();
        try (ProviderSession session = connect();
                InputStream in = session.open("/d/file.bin", 0)) {
            assertThrows(IOException.class, in::readAllBytes);
        }
    }

    @Test
    void anExpiredDlinkIsReplacedOnce() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.expireNextDlinks(1);
            assertArrayEquals(content, read(session, "/d/file.bin", 0));
            assertEquals(2, baidu.calls(BaiduDouble.FILEMETAS), "a fresh dlink after the expired one");

            baidu.expireNextDlinks(2);
            TransientProviderException e =
                    assertThrows(TransientProviderException.class, () -> session.open("/d/file.bin", 0));
            assertTrue(e.getMessage().contains("31360"), e.getMessage());
        }
    }

    @Test
    void anAccessTokenThatExpiresBeforeTheDownloadIsRenewed() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.answerNext(
                    BaiduDouble.DLINK,
                    403,
                    "{\"error_code\":111,\"error_msg\":\"Access token expired\",\"request_id\":1}");
            assertArrayEquals(content, read(session, "/d/file.bin", 0));
            assertEquals(1, baidu.calls(BaiduDouble.TOKEN));
        }
    }

    @Test
    void aHotlinkRefusalIsPermanent() throws Exception {
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.DLINK, 403, "{\"error_code\":31326,\"error_msg\":\"anti hotlinking\"}");
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.open("/d/file.bin", 0));
            assertTrue(e.getMessage().contains("31326"), e.getMessage());
        }
    }

    @Test
    void theAccessTokenIsNotSentToAHostOutsideBaidu() throws Exception {
        String elsewhere = "http://localhost:" + baidu.url().getPort() + "/file/x?fid=1";
        baidu.answerNext(
                BaiduDouble.FILEMETAS,
                200,
                "{\"errno\":0,\"list\":[{\"fs_id\":" + fsId("/d/file.bin") + ",\"dlink\":\"" + elsewhere
                        + "\"}],\"request_id\":1}");
        try (ProviderSession session = connect()) {
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.open("/d/file.bin", 0));
            assertTrue(e.getMessage().contains("localhost"), e.getMessage());
        }
        assertEquals(0, baidu.calls(BaiduDouble.DLINK));
    }

    @Test
    void aFileDeletedAfterItsListingIsNotFound() throws Exception {
        baidu.answerNext(BaiduDouble.FILEMETAS, 200, "{\"errno\":0,\"list\":[],\"names\":{},\"request_id\":1}");
        try (ProviderSession session = connect()) {
            assertThrows(NotFoundException.class, () -> session.open("/d/file.bin", 0));
        }
    }

    @Test
    void aDataHostThatIgnoresTheRangeIsSkippedToTheOffset() throws Exception {
        files.write("/d/text.txt", bytes("0123456789"));
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.DATA, 200, "0123456789");
            assertArrayEquals(bytes("56789"), read(session, "/d/text.txt", 5));
            baidu.answerNext(BaiduDouble.DATA, 206, "3456789", Map.of("Content-Range", "bytes 3-9/10"));
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.open("/d/text.txt", 5));
            assertTrue(e.getMessage().contains("from 3"), e.getMessage());
        }
    }

    @Test
    void aDataHostThatStallsMidBodyTimesOut() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = stalling.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n" + "x".repeat(100))
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.getInputStream().read(); // until the client gives up and closes
                } catch (IOException e) {
                    // the client closed
                }
            });
            server.start();
            BaiduSettings usual = baidu.settings();
            BaiduProvider impatient = new BaiduProvider(new BaiduSettings(
                    usual.appKey(),
                    usual.secretKey(),
                    usual.apiUrl(),
                    usual.oauthUrl(),
                    1000,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1)));
            // The same host as the API, so the dlink passes the host check; another port.
            baidu.answerNext(
                    BaiduDouble.FILEMETAS,
                    200,
                    "{\"errno\":0,\"list\":[{\"fs_id\":" + fsId("/d/file.bin") + ",\"dlink\":\"http://127.0.0.1:"
                            + stalling.getLocalPort() + "/file/x?fid=1\"}],\"request_id\":1}");
            try (ProviderSession session = impatient.connect(account);
                    InputStream in = session.open("/d/file.bin", 0)) {
                IOException e = assertThrows(IOException.class, in::readAllBytes);
                assertTrue(e.getMessage().contains("sent nothing"), e.getMessage());
            }
            server.join(10_000);
        }
    }

    private long fsId(String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baidu.url() + "/rest/2.0/xpan/file?method=list&dir="
                                        + BaiduClient.encode(org.cloudkeep.api.EntryPaths.parent(path))
                                        + "&access_token="
                                        + account.get(Tokens.ACCESS_TOKEN)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        for (JsonNode entry : new ObjectMapper().readTree(answer.body()).get("list")) {
            if (entry.get("path").textValue().equals(path)) {
                return entry.get("fs_id").longValue();
            }
        }
        throw new AssertionError("no " + path + " in " + answer.body());
    }
}
