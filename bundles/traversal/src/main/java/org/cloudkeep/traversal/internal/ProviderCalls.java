package org.cloudkeep.traversal.internal;

import java.time.Duration;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a provider for one container's walk, retrying what may pass by itself: a transient failure
 * up to the configured number of tries with a growing wait, a rate limit after the wait it asks
 * for (capped). Wrong credentials and permanent failures end the traversal at once.
 */
final class ProviderCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);

    /** One provider call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws ProviderException;
    }

    private final long containerId;
    private final int attempts;
    private final Duration maxRetryAfter;

    ProviderCalls(long containerId, int attempts, Duration maxRetryAfter) {
        this.containerId = containerId;
        this.attempts = attempts;
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * Runs a call, retrying transient failures.
     *
     * @param what what the call does, for messages: "listing folder '/a'"
     * @throws NotFoundException as the provider threw it: whether that ends the walk is the caller's
     *     decision
     * @throws TraversalFailure for every other failure, once retrying is over
     * @throws InterruptedException when the walk is being stopped
     */
    <T> T call(String what, Call<T> call) throws NotFoundException, TraversalFailure, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped before " + what);
            }
            try {
                return call.run();
            } catch (NotFoundException e) {
                throw e;
            } catch (TransientProviderException e) {
                Duration retryAfter = e instanceof RateLimitedException limited ? capped(limited.retryAfter()) : null;
                if (attempt >= attempts) {
                    throw new TraversalFailure(exhausted(what, attempt, e, retryAfter), retryAfter, e);
                }
                Duration wait = retryAfter != null && !retryAfter.isZero() ? retryAfter : Backoff.afterCall(attempt);
                LOG.info(
                        "Container {}: {} failed ({}); try {} of {} in {} ms",
                        containerId,
                        what,
                        e.getMessage(),
                        attempt + 1,
                        attempts,
                        wait.toMillis());
                Thread.sleep(wait.toMillis());
            } catch (BadCredentialsException e) {
                throw new TraversalFailure(
                        what + ": the provider rejected the account's credentials (" + e.getMessage()
                                + "); enter them again",
                        null,
                        e);
            } catch (ProviderException e) {
                throw new TraversalFailure(what + " failed: " + e.getMessage(), null, e);
            }
        }
    }

    private Duration capped(Duration retryAfter) {
        return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
    }

    private static String exhausted(String what, int tries, TransientProviderException e, Duration retryAfter) {
        String times = tries == 1 ? "" : " " + tries + " times";
        if (retryAfter != null) {
            return what + " was refused by the provider's rate limit" + times + " (" + e.getMessage() + ")";
        }
        return what + " failed" + times + ": " + e.getMessage();
    }
}
