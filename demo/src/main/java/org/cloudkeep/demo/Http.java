package org.cloudkeep.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** JSON over HTTP to one runtime on the loopback address. Every call is bounded in time. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final int BUSY_ATTEMPTS = 5;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Path log;

    /**
     * @param base {@code http://127.0.0.1:PORT}
     * @param log the runtime's log, named when a call fails
     */
    Http(URI base, Path log) {
        this.base = base;
        this.log = log;
    }

    URI base() {
        return base;
    }

    /**
     * Calls and answers the JSON body (an empty object for 204); any status but the expected one is a failure
     * that names the call and the server's message. 503 (the database is busy) is retried a few times.
     */
    JsonNode call(String method, String path, String token, Object body, int expected) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = send(method, path, token, body);
            if (response.statusCode() == 503 && attempt < BUSY_ATTEMPTS) {
                sleep(Duration.ofSeconds(Math.min(
                        5, response.headers().firstValueAsLong("Retry-After").orElse(1))));
                continue;
            }
            if (response.statusCode() != expected) {
                throw new DemoFailure(
                        method + " " + path + " answered " + response.statusCode() + " (expected " + expected + "): "
                                + message(response.body()),
                        log);
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : parse(method, path, response.body());
        }
    }

    /** GET without a token; {@code null} when nothing answers, or answers anything but 200 with JSON. */
    JsonNode probe(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    private HttpResponse<String> send(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(base.resolve(path)).timeout(CALL);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json");
                request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoFailure(method + " " + base.resolve(path) + " failed: " + e, e, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    private JsonNode parse(String method, String path, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DemoFailure(method + " " + path + " answered something that is not JSON: " + body, e, log);
        }
    }

    /** The {@code message} of an error answer, or the body itself. */
    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.hasNonNull("message")) {
                return error.path("error").asText("error") + ": "
                        + error.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: show it as it is
        }
        return body.isEmpty() ? "(no body)" : body;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }
}
