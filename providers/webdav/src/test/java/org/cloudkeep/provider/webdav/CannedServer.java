package org.cloudkeep.provider.webdav;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A WebDAV server on 127.0.0.1 that answers canned bodies, for what real servers never send. The
 * account's root is {@code /dav/}; a PROPFIND of the root with Depth 0 answers a folder unless the
 * test's answers say otherwise, so that {@code connect} succeeds.
 */
final class CannedServer implements AutoCloseable {

    static final String DATE = "Mon, 30 Nov 2026 00:46:13 GMT";

    record Request(String method, String rawPath, String depth, String range, String authorization) {}

    /**
     * @param bodyLength the Content-Length to declare: -1 for the body's own, 0 for chunked
     * @param stall whether to stop after the body and hold the connection open until the server stops
     */
    record Answer(int status, Map<String, String> headers, byte[] body, long bodyLength, boolean stall) {

        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body.getBytes(UTF_8), -1, false);
        }

        static Answer multistatus(String... responses) {
            return of(207, CannedServer.multistatus(responses));
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, body, bodyLength, stall);
        }

        Answer chunked() {
            return new Answer(status, headers, body, 0, stall);
        }

        Answer declaringLength(long length) {
            return new Answer(status, headers, body, length, stall);
        }

        Answer stalling() {
            return new Answer(status, headers, body, 0, true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private final Function<Request, Answer> answers;

    /** @param answers the answer to each request; {@code null} for the defaults (root folder, else 404) */
    CannedServer(Function<Request, Answer> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dav/");
    }

    ProviderSession connect(WebDavSettings settings) throws ProviderException {
        return new WebDavProvider(settings)
                .connect(Map.of(
                        WebDavProvider.URL_FIELD, root().toString(),
                        WebDavProvider.USERNAME_FIELD, "alice",
                        WebDavProvider.PASSWORD_FIELD, "secret"));
    }

    ProviderSession connect() throws ProviderException {
        return connect(WebDavSettings.DEFAULTS);
    }

    /** The requests so far, oldest first. */
    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests with a method and Depth, for counting server calls. */
    List<Request> requests(String method, String depth) {
        return requests().stream()
                .filter(r -> r.method().equals(method) && depth.equals(r.depth()))
                .toList();
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static String multistatus(String... responses) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
                + "xmlns:oc=\"http://owncloud.org/ns\">" + String.join("\n", responses) + "</d:multistatus>";
    }

    static String folder(String href) {
        return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
                + "</d:resourcetype><d:getlastmodified>" + DATE + "</d:getlastmodified></d:prop>"
                + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    }

    static String file(String href, long size) {
        return file(href, "<d:getcontentlength>" + size + "</d:getcontentlength>");
    }

    /** A file response with the date and the given extra properties (in a 200 propstat). */
    static String file(String href, String props) {
        return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:resourcetype/>"
                + "<d:getlastmodified>" + DATE + "</d:getlastmodified>" + props + "</d:prop>"
                + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Depth"),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            synchronized (this) {
                requests.add(request);
            }
            Answer answer = answers.apply(request);
            if (answer == null) {
                answer =
                        request.method().equals("PROPFIND") && request.rawPath().equals("/dav/")
                                ? Answer.multistatus(folder("/dav/"))
                                : Answer.of(404, "not here");
            }
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            long length = answer.bodyLength() < 0 ? answer.body().length : answer.bodyLength();
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 && length == 0 ? -1 : length);
            OutputStream out = exchange.getResponseBody();
            out.write(answer.body());
            out.flush();
            if (answer.stall()) {
                stopping.await(1, TimeUnit.MINUTES); // bounded, and ended by close()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away, or a declared length was not met on purpose.
        }
    }
}
