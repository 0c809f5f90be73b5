package org.cloudkeep.fetcher.internal;

import java.time.Duration;
import java.util.Optional;

/** A call to the cloud that did not get a usable answer, by what the device should do about it. */
final class CloudException extends Exception {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** No connection, or it broke: wait and try again. */
        UNREACHABLE,
        /** 503: the cloud is busy; try again after {@link #retryAfter()}. */
        BUSY,
        /** 401/403: the device token is not (or no longer) accepted; a person has to act. */
        REFUSED,
        /** Any other error answer, or one that does not follow the protocol. */
        BROKEN
    }

    private final Kind kind;
    private final transient Optional<Duration> retryAfter;

    CloudException(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    CloudException(Kind kind, String message) {
        this(kind, message, Optional.empty(), null);
    }

    Kind kind() {
        return kind;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
