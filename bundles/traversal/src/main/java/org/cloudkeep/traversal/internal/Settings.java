package org.cloudkeep.traversal.internal;

import java.time.Duration;

/**
 * The traversal's configuration, checked.
 *
 * @param checkEvery how often due containers are looked for
 * @param threads containers traversed at the same time
 * @param callAttempts tries of one provider call that fails transiently
 * @param maxRetryAfter the longest wait a rate limit is honoured for
 * @param batchSize listing rows per committed batch
 */
record Settings(Duration checkEvery, int threads, int callAttempts, Duration maxRetryAfter, int batchSize) {

    Settings {
        if (checkEvery.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("checkEverySeconds must be at least 1");
        }
        atLeast("threads", threads, 1);
        atLeast("callAttempts", callAttempts, 1);
        atLeast("batchSize", batchSize, 1);
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfterSeconds must not be negative");
        }
    }

    static Settings of(TraversalConfig config) {
        atLeast("checkEverySeconds", config.checkEverySeconds(), 1);
        return new Settings(
                Duration.ofSeconds(config.checkEverySeconds()),
                config.threads(),
                config.callAttempts(),
                Duration.ofSeconds(config.maxRetryAfterSeconds()),
                config.batchSize());
    }

    private static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(
                    "the traversal setting " + name + " must be at least " + least + ", not " + value);
        }
    }
}
