package org.cloudkeep.provider.dropbox;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the provider reaches Dropbox: the app registration and the three base URLs (configurable so
 * that the same code talks to the real service and to a test double), and the network timeouts.
 *
 * @param appKey the app's key (OAuth2 {@code client_id}); empty until the app is registered
 * @param appSecret the app's secret; empty for a PKCE-only app
 * @param apiUrl the RPC host, {@code https://api.dropboxapi.com}; also serves {@code /oauth2/token}
 * @param contentUrl the content host, {@code https://content.dropboxapi.com}
 * @param authorizeUrl the page where a person allows access, {@code https://www.dropbox.com/oauth2/authorize}
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param readTimeout how long to wait for an answer's headers, and then for each further piece of its body
 */
public record DropboxSettings(
        String appKey,
        String appSecret,
        URI apiUrl,
        URI contentUrl,
        URI authorizeUrl,
        Duration connectTimeout,
        Duration readTimeout) {

    public static final URI DEFAULT_API_URL = URI.create("https://api.dropboxapi.com");
    public static final URI DEFAULT_CONTENT_URL = URI.create("https://content.dropboxapi.com");
    public static final URI DEFAULT_AUTHORIZE_URL = URI.create("https://www.dropbox.com/oauth2/authorize");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public DropboxSettings {
        appKey = appKey == null ? "" : appKey.trim();
        appSecret = appSecret == null ? "" : appSecret.trim();
        apiUrl = base(apiUrl, "apiUrl");
        contentUrl = base(contentUrl, "contentUrl");
        authorizeUrl = web(authorizeUrl, "authorizeUrl");
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
    }

    /** The real service, with the given app registration and default timeouts. */
    public static DropboxSettings dropbox(String appKey, String appSecret) {
        return new DropboxSettings(
                appKey,
                appSecret,
                DEFAULT_API_URL,
                DEFAULT_CONTENT_URL,
                DEFAULT_AUTHORIZE_URL,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT);
    }

    /** Whether an app key is configured; without one no token can be obtained or refreshed. */
    public boolean registered() {
        return !appKey.isEmpty();
    }

    /** A base URL without a trailing slash, so that routes are appended as {@code base + "/2/..."}. */
    private static URI base(URI uri, String name) {
        String text = web(uri, name).toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must be a base URL without query or fragment: " + uri);
        }
        return URI.create(text);
    }

    private static URI web(URI uri, String name) {
        Objects.requireNonNull(uri, name);
        String scheme = uri.getScheme();
        if (!uri.isAbsolute()
                || uri.getHost() == null
                || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL: " + uri);
        }
        return uri;
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
