package org.cloudkeep.provider.s3;

import java.time.Duration;
import java.util.Objects;

/**
 * The provider's configuration, the same for every account: what Configuration Admin sets through {@link
 * S3Provider.Config}, or what a test passes to {@link S3Provider#S3Provider(S3Settings)}.
 *
 * @param connectTimeout how long opening a TCP (and TLS) connection may take
 * @param requestTimeout how long the server may take to start answering a request
 * @param readTimeout how long a response body may stay silent before the read fails
 * @param pageSize keys asked for per listing call ({@code max-keys}), 1 to 1000
 * @param etagIsMd5 whether a single-part ETag (32 hex digits) is taken as the MD5 of the content; turn off for stores
 *     that encrypt with SSE-KMS or SSE-C, where it is not
 */
public record S3Settings(
        Duration connectTimeout, Duration requestTimeout, Duration readTimeout, int pageSize, boolean etagIsMd5) {

    /** The most keys S3 returns per listing call. */
    public static final int MAX_PAGE_SIZE = 1000;

    public S3Settings {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(readTimeout, "readTimeout");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1 to " + MAX_PAGE_SIZE + ": " + pageSize);
        }
    }

    /** The defaults of {@link S3Provider.Config}. */
    public static S3Settings defaults() {
        return new S3Settings(
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), MAX_PAGE_SIZE, true);
    }

    /**
     * The settings an administrator configured, brought into range (time-outs at least 1 s, pages 1 to 1000): a typo
     * in a configuration file must not make the provider vanish from the runtime.
     */
    static S3Settings of(S3Provider.Config config) {
        return new S3Settings(
                seconds(config.connectTimeoutSeconds()),
                seconds(config.requestTimeoutSeconds()),
                seconds(config.readTimeoutSeconds()),
                Math.max(1, Math.min(MAX_PAGE_SIZE, config.pageSize())),
                config.etagIsMd5());
    }

    private static Duration seconds(int value) {
        return Duration.ofSeconds(Math.max(1, value));
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
