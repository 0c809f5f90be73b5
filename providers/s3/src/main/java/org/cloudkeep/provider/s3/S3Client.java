package org.cloudkeep.provider.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.TimedBody;

/** A thin S3 client on the JDK's HTTP client: path-style URLs, SigV4, typed errors, time-outs on every call. */
final class S3Client {

    /** What a HEAD request tells about an object. */
    record ObjectHead(long size, Instant modified, String etag) {}

    private final HttpClient http;
    private final S3Account account;
    private final S3Settings settings;
    private final SigV4Signer signer;

    S3Client(HttpClient http, S3Account account, S3Settings settings) {
        this.http = http;
        this.account = account;
        this.settings = settings;
        this.signer = new SigV4Signer(account.accessKeyId(), account.secretAccessKey(), account.region());
    }

    S3Account account() {
        return account;
    }

    /**
     * One ListObjectsV2 call.
     *
     * @param delimiter {@code "/"} for one folder level, {@code null} for every key below the prefix
     * @param token the continuation token of the page before, or {@code null}
     */
    ListingParser.Page list(String prefix, String delimiter, int maxKeys, String token) throws ProviderException {
        Map<String, String> query = new TreeMap<>();
        query.put("list-type", "2");
        query.put("prefix", prefix);
        query.put("max-keys", Integer.toString(maxKeys));
        // Keys may hold characters XML 1.0 cannot carry; URL-encoded they always arrive intact.
        query.put("encoding-type", "url");
        if (delimiter != null) {
            query.put("delimiter", delimiter);
        }
        if (token != null) {
            query.put("continuation-token", token);
        }
        String what = "listing '" + Xml.printable(prefix, 200) + "' in " + account;
        HttpResponse<InputStream> response = send("GET", null, query, Map.of(), null, Set.of(200), what);
        try (InputStream body = response.body()) {
            // Twice the page size: lenient with a sloppy server, still bounded against a hostile one.
            return ListingParser.parse(body, 2 * maxKeys, what);
        } catch (IOException e) {
            throw new TransientProviderException(what + ": reading the answer failed: " + e.getMessage(), e);
        }
    }

    /** HEAD of an object. */
    ObjectHead head(String key) throws ProviderException {
        String what = "reading the details of '" + Xml.printable(key, 200) + "' in " + account;
        HttpResponse<InputStream> response = send("HEAD", key, Map.of(), Map.of(), null, Set.of(200), what);
        S3Client.closeQuietly(response.body());
        long size = response.headers()
                .firstValue("content-length")
                .map(S3Client::longOrNegative)
                .orElse(-1L);
        if (size < 0) {
            throw new PermanentProviderException("malformed answer to " + what + ": no valid Content-Length");
        }
        String lastModified = response.headers().firstValue("last-modified").orElse(null);
        if (lastModified == null) {
            throw new PermanentProviderException("malformed answer to " + what + ": no Last-Modified");
        }
        Instant modified;
        try {
            modified = ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new PermanentProviderException("malformed answer to " + what + ": Last-Modified '"
                    + Xml.printable(lastModified, 60) + "' is not an HTTP date");
        }
        String etag =
                response.headers().firstValue("etag").map(S3Client::unquote).orElse(null);
        return new ObjectHead(size, modified, etag);
    }

    /**
     * GET of an object from an offset; the answer is 200, 206 or 416 (range not satisfiable), body open.
     *
     * @param offset the first byte wanted; no Range header when 0
     */
    HttpResponse<InputStream> get(String key, long offset) throws ProviderException {
        String what = "downloading '" + Xml.printable(key, 200) + "' from " + account;
        Map<String, String> headers = offset > 0 ? Map.of("range", "bytes=" + offset + "-") : Map.of();
        return send("GET", key, Map.of(), headers, null, Set.of(200, 206, 416), what);
    }

    /**
     * Sends one signed request. Answers with an accepted status come back with their body open (the caller closes
     * it); any other becomes the matching {@link ProviderException}.
     *
     * @param key the object key, or {@code null} for the bucket itself
     * @param query parameters, not yet encoded
     * @param headers further headers to send and sign, lower-case names
     * @param body the request body, or {@code null} for none
     */
    HttpResponse<InputStream> send(
            String method,
            String key,
            Map<String, String> query,
            Map<String, String> headers,
            byte[] body,
            Set<Integer> accepted,
            String what)
            throws ProviderException {
        StringBuilder rawQuery = new StringBuilder();
        new TreeMap<>(query).forEach((name, value) -> {
            rawQuery.append(rawQuery.length() == 0 ? "" : "&")
                    .append(SigV4Signer.uriEncode(name, false))
                    .append('=')
                    .append(SigV4Signer.uriEncode(value, false));
        });
        URI uri = account.uri(key, rawQuery.toString());
        String payloadHash = body == null ? SigV4Signer.EMPTY_SHA256 : SigV4Signer.sha256Hex(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        signer.sign(method, uri, headers, payloadHash, Instant.now()).forEach(request::header);

        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), TimedBody.handler(settings.readTimeout()));
        } catch (HttpTimeoutException e) {
            throw new TransientProviderException(what + ": no answer in time (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new TransientProviderException(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientProviderException(what + ": interrupted", e);
        }
        if (accepted.contains(response.statusCode())) {
            return response;
        }
        byte[] error = S3Errors.readErrorBody(response.body());
        throw S3Errors.toException(response.statusCode(), response.headers(), error, what, Instant.now());
    }

    static String unquote(String etag) {
        String value = etag.strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static long longOrNegative(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "S3 client for " + account + " (" + EntryPaths.printable(account.accessKeyId()) + ")";
    }

    /** Closes a body; a body is only read from, so a failing close loses nothing. */
    static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // nothing to lose
        }
    }
}
