package org.cloudkeep.traversal.internal;

import java.time.Duration;

/** How long to wait after failures: between tries of one provider call, and between traversals. */
final class Backoff {

    static final Duration FIRST_CALL_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_CALL_WAIT = Duration.ofSeconds(60);
    static final Duration FIRST_TRAVERSAL_WAIT = Duration.ofMinutes(1);

    private Backoff() {}

    /** The wait after the {@code attempt}-th try (from 1) of a call failed: 1 s, 2 s, 4 s ... at most 60 s. */
    static Duration afterCall(int attempt) {
        return doubled(FIRST_CALL_WAIT, attempt, LONGEST_CALL_WAIT);
    }

    /**
     * When a failed container is tried again: 1 min × 2^(failures − 1), at most its traversal
     * interval; a rate limit's retry-after instead when that is longer.
     *
     * @param failures traversals failed in a row, this one included (from 1)
     * @param every the container's traversal interval
     * @param retryAfter what a rate limit asked for (already capped), or {@code null}
     */
    static Duration afterTraversal(int failures, Duration every, Duration retryAfter) {
        Duration wait = doubled(FIRST_TRAVERSAL_WAIT, failures, every);
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }

    private static Duration doubled(Duration first, int times, Duration cap) {
        int shift = Math.max(0, Math.min(times - 1, 30));
        Duration wait = first.multipliedBy(1L << shift);
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
