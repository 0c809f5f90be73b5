package org.cloudkeep.fetcher.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/** Bytes per second over the last few seconds, from a running total. Thread-safe. */
final class Rate {

    private static final long SAMPLE_NANOS = 500_000_000L;
    private static final long WINDOW_NANOS = 5_000_000_000L;

    private final AtomicLong total = new AtomicLong();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    void add(long bytes) {
        total.addAndGet(bytes);
        sample(System.nanoTime());
    }

    double perSecond() {
        long now = System.nanoTime();
        sample(now);
        synchronized (samples) {
            long[] oldest = samples.peekFirst();
            long[] newest = samples.peekLast();
            long elapsed = now - oldest[0];
            if (elapsed < SAMPLE_NANOS || newest[1] == oldest[1]) {
                return 0;
            }
            return (total.get() - oldest[1]) * 1e9 / elapsed;
        }
    }

    private void sample(long now) {
        synchronized (samples) {
            long[] newest = samples.peekLast();
            if (newest == null || now - newest[0] >= SAMPLE_NANOS) {
                samples.addLast(new long[] {now, total.get()});
            }
            while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
                samples.removeFirst();
            }
        }
    }
}
