package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

/** Bounded waits: poll a condition until it holds or the time is up. */
final class Await {

    static final Duration LONG_ENOUGH = Duration.ofSeconds(10);

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + LONG_ENOUGH.toSeconds() + " s for " + what);
            }
            Thread.sleep(25);
        }
    }
}
