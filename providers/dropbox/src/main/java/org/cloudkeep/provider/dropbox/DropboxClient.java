package org.cloudkeep.provider.dropbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.RetryAfter;
import org.cloudkeep.api.http.TimedBody;

/**
 * The thin Dropbox API v2 client: RPC calls on the API host, downloads on the content host, the token endpoint.
 * It knows HTTP, JSON and Dropbox's error bodies, and turns every failure into the api's typed exceptions; it knows
 * nothing of accounts or paths. Thread-safe; one per provider.
 */
final class DropboxClient {

    /** The most a JSON answer may take: a page of 2000 entries is well below 2 MiB. */
    private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

    /** The most of an error body that is read, to name the error. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final DropboxSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = JsonMapper.builder().build();
    // HTTP headers carry ASCII only, so Dropbox wants every other character of a header's JSON as \\uXXXX.
    private final ObjectWriter headerJson = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build()
            .writer();

    DropboxClient(DropboxSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * Calls an RPC route ({@code files/list_folder}) with a JSON argument and returns the JSON answer.
     *
     * @param arg what Jackson writes as the request body; {@code null} for routes without argument
     */
    JsonNode rpc(String accessToken, String route, Object arg) throws ProviderException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(arg);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the argument of " + route, e);
        }
        HttpRequest request = request(settings.apiUrl(), "/2/" + route)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = send(request, route);
        if (response.statusCode() != 200) {
            throw failure(route, response);
        }
        return parse(response, route);
    }

    /**
     * Starts a download from an offset.
     *
     * @return the content from the offset on, or empty when the server says the offset is past the end (416)
     */
    Optional<InputStream> download(String accessToken, String apiPath, long offset) throws ProviderException {
        String route = "files/download";
        HttpRequest.Builder builder = request(settings.contentUrl(), "/2/" + route)
                .header("Authorization", "Bearer " + accessToken)
                .header("Dropbox-API-Arg", headerArg(Map.of("path", apiPath)))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (offset > 0) {
            builder.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = send(builder.build(), route);
        int status = response.statusCode();
        if (status == 416 && offset > 0) {
            discard(response.body());
            return Optional.empty();
        }
        if (status == 206 && offset > 0) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + offset + "-")) {
                discard(response.body());
                throw new PermanentProviderException("Dropbox answered a download from byte " + offset
                        + " with the range '" + printable(range) + "'");
            }
            return Optional.of(response.body());
        }
        if (status != 200) {
            throw failure(route, response);
        }
        InputStream in = response.body();
        if (offset > 0) {
            skip(in, offset, route); // the server ignored the Range header: drop the bytes before the offset
        }
        return Optional.of(in);
    }

    /**
     * Posts a form to {@code /oauth2/token}.
     *
     * @return the JSON answer of a 200, or of a 400/401: those carry the OAuth2 error ({@code invalid_grant}, ...),
     *     which only the caller can interpret
     */
    TokenAnswer token(Map<String, String> form) throws ProviderException {
        String route = "oauth2/token";
        HttpRequest request = request(settings.apiUrl(), "/" + route)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form), StandardCharsets.UTF_8))
                .build();
        HttpResponse<InputStream> response = send(request, route);
        int status = response.statusCode();
        if (status == 200) {
            return new TokenAnswer(200, parse(response, route));
        }
        if (status == 400 || status == 401) {
            byte[] error = readAtMost(response.body(), MAX_ERROR_BYTES, route);
            return new TokenAnswer(status, lenientJson(error));
        }
        throw failure(route, response);
    }

    /** The answer of the token endpoint: 200 with tokens, or 400/401 with an OAuth2 {@code error}. */
    record TokenAnswer(int status, JsonNode body) {

        boolean ok() {
            return status == 200;
        }

        /** The OAuth2 error code and description, for a message. */
        String error() {
            String code = body.path("error").asText("");
            String description = body.path("error_description").asText("");
            String text = description.isEmpty() ? code : code + ": " + description;
            return text.isEmpty() ? "HTTP " + status : printable(text);
        }
    }

    /** {@code application/x-www-form-urlencoded} text, for a form body or a query string. */
    static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A header's JSON with every non-ASCII or control character escaped, as Dropbox-API-Arg needs. */
    String headerArg(Object arg) {
        try {
            // ESCAPE_NON_ASCII leaves DEL (0x7f) as it is; HTTP does not allow it in a header value.
            return headerJson.writeValueAsString(arg).replace("\u007f", "\\u007f");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a header argument", e);
        }
    }

    private HttpRequest.Builder request(URI base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.readTimeout());
    }

    private HttpResponse<InputStream> send(HttpRequest request, String route) throws ProviderException {
        try {
            return http.send(request, TimedBody.handler(settings.readTimeout()));
        } catch (HttpTimeoutException e) {
            throw new TransientProviderException(
                    "Dropbox did not answer " + route + " within "
                            + settings.readTimeout().toSeconds() + " s",
                    e);
        } catch (IOException e) {
            throw new TransientProviderException("cannot reach Dropbox for " + route + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientProviderException("interrupted while calling Dropbox for " + route, e);
        }
    }

    private JsonNode parse(HttpResponse<InputStream> response, String route) throws ProviderException {
        byte[] body = readAtMost(response.body(), MAX_JSON_BYTES, route);
        if (body.length > MAX_JSON_BYTES) {
            throw new PermanentProviderException(
                    "Dropbox's answer to " + route + " is larger than " + MAX_JSON_BYTES + " bytes; refused");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new PermanentProviderException("Dropbox's answer to " + route + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new PermanentProviderException("Dropbox's answer to " + route + " is not valid JSON: " + reason, e);
        }
    }

    /**
     * The typed exception for a non-success answer. Dropbox's errors: 400 malformed request (plain text), 401 bad
     * or expired token, 403 access denied, 409 the route's own error ({@code path/not_found/..}, {@code reset}),
     * 429 too many requests, 5xx its own trouble.
     */
    private ProviderException failure(String route, HttpResponse<InputStream> response) throws ProviderException {
        int status = response.statusCode();
        byte[] body = readAtMost(response.body(), MAX_ERROR_BYTES, route);
        JsonNode error = lenientJson(body);
        String summary = error.path("error_summary").asText("");
        String tag = error.path("error").path(".tag").asText("");
        String said = summary.isEmpty()
                ? printable(new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip())
                : printable(summary);
        String what = "Dropbox answered " + route + " with " + status + (said.isEmpty() ? "" : " (" + said + ")");
        return switch (status) {
            case 400 -> new PermanentProviderException(what + ": the request was malformed");
            case 401 -> "expired_access_token".equals(tag) || summary.startsWith("expired_access_token")
                    ? new ExpiredCredentialsException(what + ": the access token has expired")
                    : new BadCredentialsException(what + ": sign in with Dropbox again");
            case 403 -> new BadCredentialsException(what + ": this account or app may not do that");
            case 404 -> new NotFoundException(what);
            case 409 -> routeError(what, summary, error.path("error"));
            case 429, 503 -> new RateLimitedException(what, retryAfter(response.headers(), error));
            default -> status >= 500
                    ? new TransientProviderException(what)
                    : new PermanentProviderException(what + ": unexpected status");
        };
    }

    /** A 409: the route's own error, named by its summary ({@code path/not_found/...}) and tags. */
    private static ProviderException routeError(String what, String summary, JsonNode error) {
        String tag = error.path(".tag").asText("");
        String inner = error.path(tag).path(".tag").asText("");
        if (summary.startsWith("path/not_found")
                || summary.startsWith("path_lookup/not_found")
                || ((tag.equals("path") || tag.equals("path_lookup")) && inner.equals("not_found"))) {
            return new NotFoundException(what);
        }
        if (summary.startsWith("reset") || tag.equals("reset")) {
            return new PermanentProviderException(what + ": the cursor is no longer valid; list the folder again");
        }
        return new PermanentProviderException(what);
    }

    /**
     * How long Dropbox asked to wait: the Retry-After header (seconds or an HTTP date), else the JSON
     * {@code error.retry_after} seconds, else zero.
     */
    static Duration retryAfter(HttpHeaders headers, JsonNode error) {
        Optional<Duration> header = RetryAfter.of(headers, Instant.now());
        if (header.isPresent()) {
            return header.get();
        }
        JsonNode seconds = error.path("error").path("retry_after");
        if (seconds.canConvertToLong() && seconds.asLong() >= 0 && seconds.asLong() < 1_000_000_000L) {
            return Duration.ofSeconds(seconds.asLong());
        }
        return Duration.ZERO;
    }

    /** Parses an error body that may not be JSON at all; never fails. */
    private JsonNode lenientJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** Reads up to {@code limit + 1} bytes (so that "too long" can be told) and closes the stream. */
    private static byte[] readAtMost(InputStream in, int limit, String route) throws ProviderException {
        try (in) {
            return in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new TransientProviderException("the answer of Dropbox to " + route + " broke off: " + e, e);
        }
    }

    private static void skip(InputStream in, long count, String route) throws ProviderException {
        try {
            in.skipNBytes(count);
        } catch (IOException e) {
            discard(in);
            if (e instanceof java.io.EOFException) {
                throw new PermanentProviderException(
                        "cannot start a download at byte " + count + ": the file is shorter", e);
            }
            throw new TransientProviderException("the answer of Dropbox to " + route + " broke off: " + e, e);
        }
    }

    /** Closes a body that is not wanted (any more); a connection not read to its end is dropped. */
    private static void discard(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was to be read from it
        }
    }

    static String printable(String text) {
        return EntryPaths.printable(text);
    }
}
