package org.cloudkeep.api;

import java.time.Duration;
import java.util.Objects;

/** The back end asks the caller to slow down; retry after {@link #retryAfter()}. */
public class RateLimitedException extends TransientProviderException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param retryAfter how long the back end asked to wait; {@link Duration#ZERO} when it did not
     *     say
     */
    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long to wait before the next call. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
