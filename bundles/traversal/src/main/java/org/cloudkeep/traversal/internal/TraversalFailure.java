package org.cloudkeep.traversal.internal;

import java.time.Duration;

/** Why a traversal failed, in words a user can act on; with a rate limit's retry-after when there was one. */
final class TraversalFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    TraversalFailure(String message) {
        this(message, null, null);
    }

    TraversalFailure(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked to be left alone, or {@code null}. */
    Duration retryAfter() {
        return retryAfter;
    }
}
