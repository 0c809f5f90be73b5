package org.cloudkeep.fetcher.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The fetcher's stop signal, and the only way it waits. Threads are never interrupted to stop
 * them: an interrupt in the middle of JDBC closes Derby's connection, so work checks this instead.
 */
final class Stopper {

    private final CountDownLatch stopped = new CountDownLatch(1);

    void stop() {
        stopped.countDown();
    }

    boolean stopping() {
        return stopped.getCount() == 0;
    }

    /** Waits; returns false when the fetcher is stopping (at once, not after the wait). */
    boolean sleep(Duration duration) {
        try {
            return !stopped.await(Math.max(0, duration.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
