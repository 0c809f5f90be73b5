package org.cloudkeep.provider.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake S3 endpoint on 127.0.0.1 answering canned replies, for what a real server never sends: hostile keys,
 * malformed XML, error codes, cut or stalled bodies. It records every request.
 */
final class CannedS3 implements AutoCloseable {

    /** A request as the server saw it; the query is decoded. */
    record Request(String method, String path, Map<String, String> query, Map<String, String> headers) {}

    /**
     * A reply.
     *
     * @param declaredLength the Content-Length to announce; more than the body cuts the body short, -1 for exact
     * @param stall whether to send the headers and then nothing until the server closes
     */
    record Reply(int status, Map<String, String> headers, byte[] body, long declaredLength, boolean stall) {

        static Reply xml(int status, String xml) {
            return new Reply(status, Map.of("Content-Type", "application/xml"), bytes(xml), -1, false);
        }

        static Reply of(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, bytes(body), -1, false);
        }

        Reply cutAfterBody(long announced) {
            return new Reply(status, headers, body, announced, false);
        }

        Reply stalled() {
            return new Reply(status, headers, body, body.length + 1_000_000L, true);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<Request, Reply> replies;

    CannedS3(Function<Request, Reply> replies) throws IOException {
        this.replies = replies;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    void answer(Function<Request, Reply> replies) {
        this.replies = replies;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A session on bucket {@code b} with prefix {@code root/} at this server, without the connect probe. */
    S3Session session(S3Settings settings) throws Exception {
        return new S3Session(new S3Client(S3Provider.httpClient(settings), account(), settings), settings);
    }

    S3Account account() throws Exception {
        return S3Account.parse(credentials());
    }

    Map<String, String> credentials() {
        return Map.of(
                S3Account.ENDPOINT, endpoint().toString(),
                S3Account.BUCKET, "b",
                S3Account.PREFIX, "root",
                S3Account.ACCESS_KEY_ID, "AKIDTEST",
                S3Account.SECRET_ACCESS_KEY, "secret");
    }

    /** Settings with short time-outs and small pages. */
    static S3Settings settings(int pageSize) {
        return new S3Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1), pageSize, true);
    }

    /** A ListObjectsV2 answer around the given XML elements, URL-encoded keys. */
    static String listing(String elements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name>"
                + "<EncodingType>url</EncodingType>" + elements + "</ListBucketResult>";
    }

    static String object(String encodedKey, long size, String etag) {
        return "<Contents><Key>" + encodedKey + "</Key><LastModified>2024-03-01T10:00:00.000Z</LastModified>"
                + "<ETag>&quot;" + etag + "&quot;</ETag><Size>" + size + "</Size><Owner><ID>x</ID></Owner>"
                + "<StorageClass>STANDARD</StorageClass></Contents>";
    }

    static String prefix(String encodedPrefix) {
        return "<CommonPrefixes><Prefix>" + encodedPrefix + "</Prefix></CommonPrefixes>";
    }

    static String error(String code) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>canned</Message><RequestId>1</RequestId></Error>";
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    query(exchange.getRequestURI().getRawQuery()),
                    headers);
            synchronized (this) {
                requests.add(request);
            }
            Reply reply = replies.apply(request);
            reply.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean head = request.method().equals("HEAD");
            long length = head || reply.body().length == 0 && reply.declaredLength() < 0
                    ? -1
                    : reply.declaredLength() >= 0 ? reply.declaredLength() : reply.body().length;
            exchange.sendResponseHeaders(reply.status(), length);
            if (!head) {
                OutputStream out = exchange.getResponseBody();
                out.write(reply.body());
                out.flush();
                if (reply.stall()) {
                    awaitClosing();
                }
            }
        }
    }

    private void awaitClosing() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(decode(name), decode(value));
            }
        }
        return query;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
