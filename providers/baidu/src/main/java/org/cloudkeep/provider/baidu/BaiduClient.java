package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.TimedBody;

/**
 * A thin client of the xpan API, the OAuth 2.0 token endpoint and the download hosts, on the JDK's
 * HTTP client. Every call has a connect timeout, a timeout for the answer's headers and one for
 * each next part of its body; every failure comes out typed. The access token travels in the query
 * string, as Baidu wants it, and never appears in a message.
 */
final class BaiduClient {

    /** Baidu refuses dlinks (errno 31326) unless this is the User-Agent. */
    static final String USER_AGENT = "pan.baidu.com";

    static final String FILE = "/rest/2.0/xpan/file";
    static final String MULTIMEDIA = "/rest/2.0/xpan/multimedia";
    static final String NAS = "/rest/2.0/xpan/nas";
    static final String TOKEN = "/oauth/2.0/token";
    static final String AUTHORIZE = "/oauth/2.0/authorize";

    /** A JSON answer larger than this is refused: a listing page of 1000 entries is about 0.5 MiB. */
    private static final int MAX_JSON = 32 * 1024 * 1024;
    /** The part of an error or token answer that is read: far more than either needs. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+([0-9]+)-[0-9]+/(?:[0-9]+|\\*)");

    private final BaiduSettings settings;
    private final HttpClient http;
    private final Json json = new Json();

    BaiduClient(BaiduSettings settings) {
        this.settings = settings;
        // Redirects are followed: a dlink answers 302 to the host that holds the data.
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    BaiduSettings settings() {
        return settings;
    }

    /**
     * One xpan call: GET {@code apiUrl + path} with the parameters and the access token.
     *
     * @param parameters names and values, alternating
     * @return the answer, whose errno was 0
     */
    JsonNode api(String path, String accessToken, String what, String... parameters) throws ProviderException {
        URI uri =
                URI.create(settings.apiUrl() + path + "?" + query(parameters) + "&access_token=" + encode(accessToken));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.readTimeout())
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        HttpResponse<InputStream> response = send(request, what);
        if (response.statusCode() != 200) {
            throw failure(response.statusCode(), response.headers(), head(response), what);
        }
        byte[] body = read(response, MAX_JSON, what);
        JsonNode answer = json.object(body, what);
        Optional<Long> errno = BaiduErrors.errno(answer);
        if (errno.isPresent() && errno.get() != 0) {
            throw BaiduErrors.forErrno(
                    errno.get(), message(answer), response.headers(), settings.rateLimitWait(), what);
        }
        return answer;
    }

    /** A POST of a form to the OAuth token endpoint; the status and body are for the caller to judge. */
    TokenAnswer token(String what, String... form) throws ProviderException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.oauthUrl() + TOKEN))
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(form)))
                .build();
        HttpResponse<InputStream> response = send(request, what);
        return new TokenAnswer(response.statusCode(), response.headers(), json.objectOrNull(head(response)));
    }

    /** The token endpoint's answer: a JSON object, or {@code null} when the body was none. */
    record TokenAnswer(int status, HttpHeaders headers, JsonNode body) {}

    /**
     * Opens a dlink from an offset: GET with the access token and {@code User-Agent: pan.baidu.com},
     * following the redirect to the data host.
     *
     * @param length how many bytes from the offset the file holds, checked at the end of the stream
     */
    InputStream download(URI dlink, String accessToken, long offset, long length, String what)
            throws ProviderException {
        String separator = dlink.getRawQuery() == null ? "?" : "&";
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(dlink + separator + "access_token=" + encode(accessToken)))
                .timeout(settings.readTimeout())
                .header("User-Agent", USER_AGENT)
                .GET();
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = send(request.build(), what);
        int status = response.statusCode();
        InputStream body = response.body();
        boolean handedOver = false;
        try {
            if (status != 200 && status != 206) {
                throw failure(status, response.headers(), head(response), what);
            }
            if (status == 206) {
                long start = rangeStart(response.headers(), what);
                if (start != offset) {
                    throw new PermanentProviderException(
                            what + ": asked for the bytes from " + offset + ", Baidu sent them from " + start);
                }
            } else if (offset > 0) {
                // The range was ignored: the whole file came; skip to the offset.
                body.skipNBytes(offset);
            }
            byte[] md5 = status == 200
                    ? CheckedDownload.parseMd5(
                            response.headers().firstValue("Content-MD5").orElse(null))
                    : null;
            InputStream checked = new CheckedDownload(body, length, md5, what);
            handedOver = true;
            return checked;
        } catch (IOException e) {
            throw new TransientProviderException(what + ": the download was cut short: " + e.getMessage(), e);
        } finally {
            if (!handedOver) {
                try {
                    body.close();
                } catch (IOException e) {
                    // the body is abandoned either way
                }
            }
        }
    }

    /**
     * A dlink from a filemetas answer, refused unless it is an http(s) URL on Baidu's hosts (or on the
     * configured API host): the access token is appended to it, and must not go anywhere else.
     */
    URI dlink(String text, String what) throws PermanentProviderException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw Json.malformed(what, "the dlink is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean apiHost = host.equalsIgnoreCase(settings.apiUrl().getHost())
                && scheme.equalsIgnoreCase(settings.apiUrl().getScheme());
        boolean baiduHost = scheme.equals("https")
                && (host.equals("baidu.com")
                        || host.endsWith(".baidu.com")
                        || host.equals("baidupcs.com")
                        || host.endsWith(".baidupcs.com"));
        if (!(apiHost || baiduHost) || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw Json.malformed(
                    what,
                    "the dlink points to '" + host + "', not to a Baidu host; the access token is not sent there");
        }
        return uri;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String what) throws ProviderException {
        try {
            return http.send(request, TimedBody.handler(settings.readTimeout()));
        } catch (HttpConnectTimeoutException e) {
            throw new TransientProviderException(
                    what + ": no connection to Baidu within "
                            + settings.connectTimeout().toSeconds() + " s",
                    e);
        } catch (HttpTimeoutException e) {
            throw new TransientProviderException(
                    what + ": Baidu did not answer within "
                            + settings.readTimeout().toSeconds() + " s",
                    e);
        } catch (IOException e) {
            throw new TransientProviderException(what + ": cannot reach Baidu: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientProviderException(what + ": interrupted", e);
        }
    }

    private static byte[] read(HttpResponse<InputStream> response, int limit, String what)
            throws TransientProviderException {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException("the answer is longer than " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new TransientProviderException(what + ": Baidu's answer was cut short: " + e.getMessage(), e);
        }
    }

    /** The start of an answer's body, enough for an error or a token; empty if it cannot be read. */
    private static byte[] head(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return body.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The failure a non-success answer stands for: its error number if it names one, else its status. */
    private ProviderException failure(int status, HttpHeaders headers, byte[] body, String what) {
        JsonNode answer = json.objectOrNull(body);
        Optional<Long> errno = answer == null ? Optional.empty() : BaiduErrors.errno(answer);
        if (errno.isPresent() && BaiduErrors.known(errno.get())) {
            return BaiduErrors.forErrno(errno.get(), message(answer), headers, settings.rateLimitWait(), what);
        }
        String said = errno.isPresent() ? what + " (errno " + errno.get() + ", " + message(answer) + ")" : what;
        return BaiduErrors.forStatus(status, headers, said);
    }

    private static String message(JsonNode answer) {
        String message = Json.textOr(answer, "errmsg");
        if (message.isEmpty()) {
            message = Json.textOr(answer, "error_msg");
        }
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static long rangeStart(HttpHeaders headers, String what) throws PermanentProviderException {
        String value = headers.firstValue("Content-Range").orElse("");
        Matcher matcher = CONTENT_RANGE.matcher(value.trim());
        if (!matcher.matches() || matcher.group(1).length() > 18) {
            throw Json.malformed(what, "a partial answer without a readable Content-Range");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Names and values, alternating, as a query string. */
    static String query(String... parameters) {
        if (parameters.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name/value pairs");
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < parameters.length; i += 2) {
            if (i > 0) {
                query.append('&');
            }
            query.append(encode(parameters[i])).append('=').append(encode(parameters[i + 1]));
        }
        return query.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
