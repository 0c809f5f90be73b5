package org.cloudkeep.provider.webdav;

import java.time.Duration;
import java.util.Objects;

/**
 * How the provider talks to servers; the same for every account.
 *
 * @param connectTimeout the longest wait for a TCP (and TLS) connection
 * @param requestTimeout the longest wait from sending a listing's (or stat's) request to its
 *     response's headers
 * @param readTimeout the longest wait for the next bytes of a response body (a listing or a
 *     download); the JDK client has no such limit of its own, so a stalled server would hang. A
 *     download reads its socket itself ({@link Download}), so this also bounds its wait for headers
 * @param pageSize the most entries a page of a listing holds, 1 to {@value #MAX_PAGE_SIZE}
 */
public record WebDavSettings(Duration connectTimeout, Duration requestTimeout, Duration readTimeout, int pageSize) {

    public static final int MAX_PAGE_SIZE = 1000;

    public static final WebDavSettings DEFAULTS =
            new WebDavSettings(Duration.ofSeconds(20), Duration.ofSeconds(120), Duration.ofSeconds(60), MAX_PAGE_SIZE);

    public WebDavSettings {
        for (Duration timeout : new Duration[] {
            Objects.requireNonNull(connectTimeout, "connectTimeout"),
            Objects.requireNonNull(requestTimeout, "requestTimeout"),
            Objects.requireNonNull(readTimeout, "readTimeout")
        }) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + timeout);
            }
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE + ": " + pageSize);
        }
    }

    /** The same settings with another page size. */
    public WebDavSettings withPageSize(int size) {
        return new WebDavSettings(connectTimeout, requestTimeout, readTimeout, size);
    }

    /** The same settings with another read timeout. */
    public WebDavSettings withReadTimeout(Duration timeout) {
        return new WebDavSettings(connectTimeout, requestTimeout, timeout, pageSize);
    }
}
