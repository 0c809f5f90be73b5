package org.cloudkeep.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudkeep.api.ContentHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a loopback HTTP server that answers what each test says, as the cloud could. */
class CloudClientTest {

    private HttpServer server;
    private CloudClient client;
    private final AtomicReference<Canned> canned = new AtomicReference<>();
    private final AtomicReference<String> lastRequest = new AtomicReference<>();
    private final List<Wire.Entry> received = new ArrayList<>();

    record Canned(int status, String body, Map<String, String> headers) {}

    /** An answer the server holds until the test ends, as a cloud holds groups/next?waitSeconds. */
    private static final Canned HOLD = new Canned(204, "", Map.of());

    private final CountDownLatch released = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            lastRequest.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Canned answer = canned.get();
            if (answer == HOLD) {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = new CloudClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "device-token");
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    private void answer(int status, String body, Map<String, String> headers) {
        canned.set(new Canned(status, body, headers));
    }

    private final CloudClient.GroupSink sink = new CloudClient.GroupSink() {
        private long receipts;

        @Override
        public long open() {
            return ++receipts;
        }

        @Override
        public void add(long receipt, Wire.Entry entry) {
            received.add(entry);
        }

        @Override
        public void close(long receipt) {}
    };

    @Test
    void readsAGroupEvenWithUnknownFieldsAndEntriesBeforeTheHeader() throws Exception {
        answer(
                200,
                """
                {"entries": [
                   {"path": "/docs", "size": 0, "modified": "2025-12-31T23:59:58.250Z", "hash": null, "directory": true},
                   {"path": "/docs/a.txt", "size": 12, "modified": "2025-12-31T23:59:58Z",
                    "hash": {"algorithm": "sha256", "value": "ab"}, "directory": false, "future": [1, {"x": 2}]}],
                 "containerId": 21, "groupNo": 4, "alsoNew": {"a": 1},
                 "account": {"provider": "local", "credentials": {"root": "/srv/drive"}}}
                """,
                Map.of("Content-Type", "application/json"));

        Wire.Next next = client.next(512, false, 0, sink);

        Wire.Group group = assertInstanceOf(Wire.Groups.class, next).groups().get(0);
        assertEquals(21, group.containerId());
        assertEquals(4, group.groupNo());
        assertEquals("local", group.provider());
        assertEquals(Map.of("root", "/srv/drive"), group.credentials());
        assertEquals(
                List.of(
                        new Wire.Entry("/docs", 0, Instant.parse("2025-12-31T23:59:58.250Z"), null, true),
                        new Wire.Entry(
                                "/docs/a.txt",
                                12,
                                Instant.parse("2025-12-31T23:59:58Z"),
                                new ContentHash("sha256", "ab"),
                                false)),
                received);
        assertEquals("POST /api/v1/device/groups/next Bearer device-token {\"freeBytes\":512}", lastRequest.get());
    }

    @Test
    void readsEveryContainersGroupInParallelMode() throws Exception {
        answer(
                200,
                "[{\"containerId\": 1, \"groupNo\": 1, \"account\": {\"provider\": \"p\", \"credentials\": {}},"
                        + " \"entries\": []},"
                        + " {\"containerId\": 2, \"groupNo\": 3, \"account\": {\"provider\": \"q\", \"credentials\": {}},"
                        + " \"entries\": []}]",
                Map.of());
        Wire.Groups groups = assertInstanceOf(Wire.Groups.class, client.next(1, true, 0, sink));
        assertEquals(
                List.of(1L, 2L),
                groups.groups().stream().map(Wire.Group::containerId).toList());
        assertTrue(lastRequest.get().startsWith("POST /api/v1/device/groups/next?all=true "));
    }

    @Test
    void asksTheCloudToWaitForAGroup() throws Exception {
        answer(204, "", Map.of());
        assertInstanceOf(Wire.Nothing.class, client.next(1, true, 15, sink));
        assertTrue(
                lastRequest.get().startsWith("POST /api/v1/device/groups/next?all=true&waitSeconds=15 "),
                lastRequest.get());
        answer(204, "", Map.of());
        assertInstanceOf(Wire.Nothing.class, client.next(1, false, 60, sink));
        assertTrue(lastRequest.get().startsWith("POST /api/v1/device/groups/next?waitSeconds=60 "), lastRequest.get());
    }

    @Test
    void aStoppingDeviceStopsWaitingForAHeldAnswer() throws Exception {
        canned.set(HOLD);
        CompletableFuture<Wire.Next> asked = CompletableFuture.supplyAsync(() -> {
            try {
                return client.next(1, false, 60, sink);
            } catch (CloudException e) {
                throw new CompletionException(e);
            }
        });
        while (lastRequest.get() == null) {
            Thread.sleep(10); // until the cloud holds the call
        }
        assertFalse(asked.isDone(), "the cloud holds the answer");
        client.abandonWaiting();
        ExecutionException stopped = assertThrows(ExecutionException.class, () -> asked.get(10, TimeUnit.SECONDS));
        CloudException cause = assertInstanceOf(CloudException.class, stopped.getCause());
        assertTrue(cause.getMessage().contains("stopping"), cause.getMessage());
        // and a later wait is not started at all: the device is stopping
        assertThrows(CloudException.class, () -> client.next(1, false, 60, sink));
    }

    @Test
    void nothingToDoAndInactive() throws Exception {
        answer(204, "", Map.of());
        assertInstanceOf(Wire.Nothing.class, client.next(1, false, 0, sink));
        answer(
                409,
                "{\"error\": \"inactive\", \"message\": \"m\", \"state\": \"INACTIVE\", \"recheckSeconds\": 7}",
                Map.of());
        assertEquals(new Wire.Inactive(Duration.ofSeconds(7)), client.next(1, false, 0, sink));
    }

    @Test
    void statusAndReports() throws Exception {
        answer(200, "{\"state\": \"INACTIVE\", \"recheckSeconds\": 300}", Map.of());
        assertEquals(new Wire.DeviceState(false, Duration.ofSeconds(300)), client.status(5));
        answer(200, "{\"ok\": false, \"state\": \"ACTIVE\"}", Map.of());
        Wire.Report report = client.report(21, 4, List.of("/a", "/b"), List.of(), 9);
        assertFalse(report.ok());
        assertTrue(report.active());
        assertEquals(
                "POST /api/v1/device/reports Bearer device-token"
                        + " {\"containerId\":21,\"groupNo\":4,\"fetched\":[\"/a\",\"/b\"],\"freeBytes\":9}",
                lastRequest.get());
    }

    @Test
    void missingPathsGoInTheirOwnFieldUntilACloudRefusesIt() throws Exception {
        answer(200, "{\"ok\": true, \"state\": \"ACTIVE\"}", Map.of());
        client.report(21, 4, List.of("/a"), List.of("/gone"), 9);
        assertEquals(
                "POST /api/v1/device/reports Bearer device-token"
                        + " {\"containerId\":21,\"groupNo\":4,\"fetched\":[\"/a\"],\"missing\":[\"/gone\"],"
                        + "\"freeBytes\":9}",
                lastRequest.get());
        assertTrue(client.reportsMissing());

        // An older cloud: 400 unknown_field for 'missing'. The report goes again without it.
        List<String> bodies = new ArrayList<>();
        server.removeContext("/");
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            byte[] answer = (body.contains("missing")
                            ? "{\"error\": \"unknown_field\", \"message\": \"unknown field 'missing'\"}"
                            : "{\"ok\": true, \"state\": \"ACTIVE\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body.contains("missing") ? 400 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        assertTrue(client.report(21, 4, List.of("/a"), List.of("/gone"), 9).ok());
        assertEquals(2, bodies.size(), bodies.toString());
        assertFalse(bodies.get(1).contains("missing"), bodies.get(1));
        assertFalse(client.reportsMissing());
    }

    @Test
    void failuresSayWhatToDo() {
        answer(401, "{\"error\": \"unauthorized\", \"message\": \"the token is unknown\"}", Map.of());
        CloudException refused = assertThrows(CloudException.class, () -> client.status(1));
        assertEquals(CloudException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().contains("the token is unknown"), refused.getMessage());

        answer(503, "{\"error\": \"unavailable\", \"message\": \"busy\"}", Map.of("Retry-After", "7"));
        CloudException busy = assertThrows(CloudException.class, () -> client.status(1));
        assertEquals(CloudException.Kind.BUSY, busy.kind());
        assertEquals(Duration.ofSeconds(7), busy.retryAfter().orElseThrow());

        answer(200, "{\"state\": \"ACT", Map.of());
        assertEquals(
                CloudException.Kind.BROKEN,
                assertThrows(CloudException.class, () -> client.status(1)).kind());

        answer(
                200,
                "{\"containerId\": 1, \"groupNo\": 1, \"account\": {\"provider\": \"p\", \"credentials\": {}},"
                        + " \"entries\": [{\"size\": 3, \"modified\": \"2025-01-01T00:00:00Z\", \"directory\": false}]}",
                Map.of());
        CloudException noPath = assertThrows(CloudException.class, () -> client.next(1, false, 0, sink));
        assertEquals(CloudException.Kind.BROKEN, noPath.kind());
        assertTrue(noPath.getMessage().contains("path"), noPath.getMessage());
    }

    @Test
    void anUnreachableCloudIsWaitedOut() {
        server.stop(0);
        CloudException e = assertThrows(CloudException.class, () -> client.status(1));
        assertEquals(CloudException.Kind.UNREACHABLE, e.kind());
    }
}
