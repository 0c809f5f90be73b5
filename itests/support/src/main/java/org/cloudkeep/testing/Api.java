package org.cloudkeep.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP against a runtime, as a device or a web page would call it. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public Api(URI base) {
        this.base = base;
    }

    /** An answer: its status, its body as text, and as JSON when it is JSON. */
    public record Answer(int status, String body, String contentType) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Calls with a JSON body built from a Java value (a Map, a List, a record), or none. */
    public Answer call(String method, String path, String token, Object body) throws IOException, InterruptedException {
        return raw(method, path, token, body == null ? null : JSON.writeValueAsString(body), "application/json");
    }

    /** Calls with a body given as text, exactly as it is: for malformed input. */
    public Answer raw(String method, String path, String token, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType);
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    public Answer get(String path, String token) throws IOException, InterruptedException {
        return call("GET", path, token, null);
    }

    public Answer post(String path, String token, Object body) throws IOException, InterruptedException {
        return call("POST", path, token, body);
    }
}
