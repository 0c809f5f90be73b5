package org.cloudkeep.fetcher.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.fetcher.internal.CloudException.Kind;

/**
 * The device's side of protocol v1: status, groups/next and reports. Group answers are read as a
 * stream and handed entry by entry to a {@link GroupSink}, so a group of any size never sits in
 * memory whole. Unknown fields are ignored, as the protocol asks of clients.
 */
final class CloudClient {

    /** Where a group's entries go while its answer is read. */
    interface GroupSink {
        /** Starts one group's entries and names them with a receipt. */
        long open() throws SQLException;

        void add(long receipt, Wire.Entry entry) throws SQLException;

        /** Every entry of the receipt has been added. */
        void close(long receipt) throws SQLException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI api;
    private final String token;
    private final HttpClient http;
    private volatile boolean reportsMissing = true;
    /** A call the cloud may hold ({@code groups/next?waitSeconds}), while it is in flight. */
    private volatile CompletableFuture<HttpResponse<InputStream>> waiting;

    private volatile boolean abandoned;

    CloudClient(URI cloud, String token) {
        this.api = URI.create(cloud.toString() + "/api/v1/");
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI cloud() {
        return api.resolve("/");
    }

    Wire.DeviceState status(long freeBytes) throws CloudException {
        JsonNode answer = tree(post("device/status", Map.of("freeBytes", freeBytes)), 200);
        return state(answer);
    }

    /** Stops waiting for a held {@code groups/next} answer, now and from now on: the device is stopping. */
    void abandonWaiting() {
        abandoned = true;
        CompletableFuture<HttpResponse<InputStream>> call = waiting;
        if (call != null) {
            call.cancel(true);
        }
    }

    /**
     * Asks for the first unfinished group ({@code all=false}) or the first of every container
     * ({@code all=true}). With {@code waitSeconds} above 0 the cloud holds its answer until a group
     * is ready or the time is up; a cloud from before {@code waitSeconds} answers at once.
     */
    Wire.Next next(long freeBytes, boolean all, int waitSeconds, GroupSink sink) throws CloudException {
        List<String> query = new ArrayList<>();
        if (all) {
            query.add("all=true");
        }
        if (waitSeconds > 0) {
            query.add("waitSeconds=" + waitSeconds);
        }
        HttpResponse<InputStream> response = post(
                "device/groups/next" + (query.isEmpty() ? "" : "?" + String.join("&", query)),
                Map.of("freeBytes", freeBytes),
                waitSeconds > 0);
        int status = response.statusCode();
        if (status == 204) {
            drain(response);
            return new Wire.Nothing();
        }
        if (status == 409) {
            JsonNode answer = tree(response, 409);
            return new Wire.Inactive(recheck(answer));
        }
        if (status != 200) {
            throw failure(response);
        }
        try (InputStream body = response.body();
                JsonParser parser = FACTORY.createParser(body)) {
            List<Wire.Group> groups = new ArrayList<>();
            JsonToken first = parser.nextToken();
            if (all) {
                expect(first == JsonToken.START_ARRAY, "an array of groups");
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    groups.add(group(parser, sink));
                }
            } else {
                groups.add(group(parser, sink));
            }
            return new Wire.Groups(List.copyOf(groups));
        } catch (IOException e) {
            throw broken("the group answer could not be read: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new CloudException(
                    Kind.BROKEN, "the group could not be stored on the device: " + e.getMessage(), Optional.empty(), e);
        }
    }

    /**
     * Reports fetched paths, and paths the provider no longer has ({@code missing}, a later addition
     * to protocol v1). A cloud that does not know {@code missing} refuses it as an unknown field;
     * the report is then sent again without it, and missing paths are not reported from then on.
     */
    Wire.Report report(long containerId, int groupNo, List<String> fetched, List<String> missing, long freeBytes)
            throws CloudException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("containerId", containerId);
        body.put("groupNo", groupNo);
        body.put("fetched", fetched);
        boolean withMissing = !missing.isEmpty() && reportsMissing;
        if (withMissing) {
            body.put("missing", missing);
        }
        body.put("freeBytes", freeBytes);
        HttpResponse<InputStream> response = post("device/reports", body);
        if (withMissing && response.statusCode() == 400) {
            CloudException refused = failure(response);
            if (refused.getMessage().contains("missing")) {
                reportsMissing = false;
                return report(containerId, groupNo, fetched, List.of(), freeBytes);
            }
            throw refused;
        }
        JsonNode answer = tree(response, 200);
        JsonNode ok = answer.get("ok");
        expect(ok != null && ok.isBoolean(), "a boolean 'ok' in the report answer");
        return new Wire.Report(ok.booleanValue(), active(answer));
    }

    /** Whether the cloud takes {@code missing} in reports (until it refused it once). */
    boolean reportsMissing() {
        return reportsMissing;
    }

    private HttpResponse<InputStream> post(String call, Object body) throws CloudException {
        return post(call, body, false);
    }

    /**
     * Posts a call. A {@code waiting} call (a {@code groups/next} the cloud may hold for up to a
     * minute) is {@linkplain #abandonWaiting() abandoned} when the device stops, so that stopping
     * never waits for the cloud's answer.
     */
    private HttpResponse<InputStream> post(String call, Object body, boolean waiting) throws CloudException {
        try {
            HttpRequest request = HttpRequest.newBuilder(api.resolve(call))
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            if (!waiting) {
                return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            }
            CompletableFuture<HttpResponse<InputStream>> answer =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            this.waiting = answer;
            if (abandoned) {
                answer.cancel(true);
            }
            try {
                return answer.get();
            } catch (CancellationException | ExecutionException e) {
                if (abandoned) {
                    throw new CloudException(Kind.UNREACHABLE, "the device is stopping", Optional.empty(), e);
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            } finally {
                this.waiting = null;
            }
        } catch (IOException e) {
            throw new CloudException(
                    Kind.UNREACHABLE,
                    "the cloud at " + cloud() + " is unreachable (" + describe(e) + ")",
                    Optional.empty(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(Kind.UNREACHABLE, "interrupted while calling the cloud", Optional.empty(), e);
        }
    }

    private static JsonNode tree(HttpResponse<InputStream> response, int expected) throws CloudException {
        if (response.statusCode() != expected) {
            throw failure(response);
        }
        try (InputStream body = response.body()) {
            JsonNode node = JSON.readTree(body.readNBytes(MAX_ERROR_BODY * 16));
            expect(node != null && node.isObject(), "a JSON object");
            return node;
        } catch (IOException e) {
            throw broken("the answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static CloudException failure(HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String message = errorMessage(response);
        Optional<Duration> retryAfter = response.headers()
                .firstValue("Retry-After")
                .flatMap(CloudClient::seconds)
                .map(Duration::ofSeconds);
        if (status == 503 || status == 429) {
            return new CloudException(Kind.BUSY, "the cloud is busy: " + message, retryAfter, null);
        }
        if (status == 401 || status == 403) {
            return new CloudException(
                    Kind.REFUSED,
                    "the cloud refuses this device's token (" + status + ": " + message
                            + "); bind the device again and start it with the new --token",
                    Optional.empty(),
                    null);
        }
        return new CloudException(Kind.BROKEN, "the cloud answered " + status + ": " + message, retryAfter, null);
    }

    private static String errorMessage(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            try {
                JsonNode node = JSON.readTree(bytes);
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException notJson) {
                // fall through to the raw text
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no message)" : text.substring(0, Math.min(200, text.length()));
        } catch (IOException e) {
            return "(no message: " + e.getMessage() + ")";
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // nothing to read anyway
        }
    }

    private static Wire.DeviceState state(JsonNode answer) throws CloudException {
        return new Wire.DeviceState(active(answer), recheck(answer));
    }

    private static boolean active(JsonNode answer) throws CloudException {
        String state = answer.path("state").asText("");
        expect(state.equals("ACTIVE") || state.equals("INACTIVE"), "state ACTIVE or INACTIVE");
        return state.equals("ACTIVE");
    }

    private static Duration recheck(JsonNode answer) {
        long seconds = answer.path("recheckSeconds").asLong(300);
        return Duration.ofSeconds(Math.max(1, Math.min(seconds, 86_400)));
    }

    private static Wire.Group group(JsonParser parser, GroupSink sink)
            throws IOException, SQLException, CloudException {
        expect(parser.currentToken() == JsonToken.START_OBJECT, "a group object");
        long receipt = sink.open();
        long containerId = 0;
        int groupNo = 0;
        String provider = null;
        Map<String, String> credentials = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "containerId" -> containerId = parser.getValueAsLong(0);
                case "groupNo" -> groupNo = parser.getValueAsInt(0);
                case "account" -> {
                    JsonNode account = JSON.readTree(parser);
                    provider = account.path("provider").isTextual()
                            ? account.get("provider").asText()
                            : null;
                    credentials = credentials(account.path("credentials"));
                }
                case "entries" -> {
                    expect(value == JsonToken.START_ARRAY, "an array of entries");
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        sink.add(receipt, entry(parser));
                    }
                }
                default -> parser.skipChildren();
            }
        }
        sink.close(receipt);
        expect(containerId > 0 && groupNo > 0 && provider != null, "containerId, groupNo and account.provider");
        return new Wire.Group(containerId, groupNo, provider, credentials, receipt);
    }

    private static Map<String, String> credentials(JsonNode node) throws CloudException {
        expect(node.isObject(), "account.credentials as an object");
        Map<String, String> credentials = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            expect(field.getValue().isTextual(), "string credentials");
            credentials.put(field.getKey(), field.getValue().asText());
        }
        return Map.copyOf(credentials);
    }

    private static Wire.Entry entry(JsonParser parser) throws IOException, CloudException {
        expect(parser.currentToken() == JsonToken.START_OBJECT, "an entry object");
        String path = null;
        long size = -1;
        Instant modified = null;
        ContentHash hash = null;
        Boolean directory = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "path" -> path = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "size" -> size = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                case "modified" -> modified = instant(value == JsonToken.VALUE_STRING ? parser.getText() : null);
                case "hash" -> hash = hash(value == JsonToken.VALUE_NULL ? null : JSON.readTree(parser));
                case "directory" -> directory = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
                default -> parser.skipChildren();
            }
        }
        expect(path != null && size >= 0 && modified != null && directory != null, "path, size, modified, directory");
        return new Wire.Entry(path, size, modified, hash, directory);
    }

    private static ContentHash hash(JsonNode node) throws CloudException {
        if (node == null || node.isNull()) {
            return null;
        }
        expect(node.path("algorithm").isTextual() && node.path("value").isTextual(), "hash {algorithm, value}");
        try {
            return new ContentHash(
                    node.get("algorithm").asText(), node.get("value").asText());
        } catch (IllegalArgumentException e) {
            throw broken("a hash in the group is invalid: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String text) throws CloudException {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw broken("'" + text + "' is not an ISO-8601 instant", e);
        }
    }

    private static Optional<Long> seconds(String header) {
        try {
            return Optional.of(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void expect(boolean condition, String what) throws CloudException {
        if (!condition) {
            throw broken("the cloud's answer does not follow protocol v1: expected " + what, null);
        }
    }

    private static CloudException broken(String message, Throwable cause) {
        return new CloudException(Kind.BROKEN, message, Optional.empty(), cause);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
