package org.cloudkeep.provider.baidu;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the provider needs to know: the Baidu app it signs in as and the servers it talks to. The
 * plain form of {@link BaiduConfig}, so that tests need no OSGi.
 *
 * @param appKey the app's AppKey (OAuth2 client_id); empty when not configured
 * @param secretKey the app's SecretKey (OAuth2 client_secret); empty when not configured
 * @param apiUrl where the xpan API answers, without a trailing slash
 * @param oauthUrl where the OAuth 2.0 service answers, without a trailing slash
 * @param pageSize entries asked for per listing call, 1 to {@value #MAX_PAGE_SIZE}
 * @param rateLimitWait how long to wait after errno 31034, which comes without Retry-After
 * @param connectTimeout the longest wait for a connection
 * @param readTimeout the longest wait for an answer's headers, and for each next part of its body
 */
public record BaiduSettings(
        String appKey,
        String secretKey,
        URI apiUrl,
        URI oauthUrl,
        int pageSize,
        Duration rateLimitWait,
        Duration connectTimeout,
        Duration readTimeout) {

    /** The most entries xpan's list and listall give per call. */
    public static final int MAX_PAGE_SIZE = 1000;

    public BaiduSettings {
        appKey = appKey == null ? "" : appKey.trim();
        secretKey = secretKey == null ? "" : secretKey.trim();
        apiUrl = base(apiUrl, "apiUrl");
        oauthUrl = base(oauthUrl, "oauthUrl");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE + ": " + pageSize);
        }
        positive(rateLimitWait, "rateLimitWait");
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
    }

    /** Settings with the usual page size, waits and timeouts. */
    public static BaiduSettings of(String appKey, String secretKey, URI apiUrl, URI oauthUrl) {
        return new BaiduSettings(
                appKey,
                secretKey,
                apiUrl,
                oauthUrl,
                MAX_PAGE_SIZE,
                Duration.ofSeconds(60),
                Duration.ofSeconds(15),
                Duration.ofSeconds(60));
    }

    /** The settings a configuration says. */
    static BaiduSettings from(BaiduConfig config) {
        return new BaiduSettings(
                config.appKey(),
                config._secretKey(),
                URI.create(config.apiUrl().trim()),
                URI.create(config.oauthUrl().trim()),
                MAX_PAGE_SIZE,
                Duration.ofSeconds(config.rateLimitWaitSeconds()),
                Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds()));
    }

    /** The same settings with another page size. */
    public BaiduSettings withPageSize(int size) {
        return new BaiduSettings(appKey, secretKey, apiUrl, oauthUrl, size, rateLimitWait, connectTimeout, readTimeout);
    }

    /** Whether an app key and secret are configured, as OAuth needs. */
    boolean hasApp() {
        return !appKey.isEmpty() && !secretKey.isEmpty();
    }

    private static URI base(URI url, String name) {
        Objects.requireNonNull(url, name);
        String scheme = url.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || url.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL: " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must have no query or fragment: " + url);
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
