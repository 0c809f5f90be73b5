package org.cloudkeep.provider.sftp;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long an SFTP call may wait for the server. JSch's keep-alives notice a dead connection,
 * but not a server that answers keep-alives and never the request (a hung file system behind it);
 * JSch's reads have no time-out of their own. So each call is {@linkplain #arm armed}: if it sees no
 * progress for the operation time-out, its connection is dropped, which makes the blocked read fail.
 */
final class Watchdog {

    private final ScheduledExecutorService timer;
    private final long timeoutNanos;
    private final Duration timeout;

    Watchdog(ScheduledExecutorService timer, Duration timeout) {
        this.timer = timer;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Starts watching one call.
     *
     * @param onTimeout drops the connection the call waits on; runs on the timer's thread
     */
    Guard arm(Runnable onTimeout) {
        Guard guard = new Guard(onTimeout);
        guard.schedule(timeoutNanos);
        return guard;
    }

    /** One watched call: {@link #touch} on progress, close when done. */
    final class Guard implements AutoCloseable {

        private final Runnable onTimeout;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean fired;
        private boolean closed;
        private ScheduledFuture<?> check;

        private Guard(Runnable onTimeout) {
            this.onTimeout = onTimeout;
        }

        /** The call made progress (a listing entry, bytes of a download): the time-out starts again. */
        void touch() {
            lastProgress = System.nanoTime();
        }

        /** Whether the time-out dropped the connection: the call's failure is then a time-out. */
        boolean fired() {
            return fired;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (check != null) {
                check.cancel(false);
            }
        }

        private synchronized void schedule(long delayNanos) {
            if (closed) {
                return;
            }
            try {
                check = timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The provider is being stopped; its sessions end with it, unwatched.
                check = null;
            }
        }

        private void check() {
            long idle = System.nanoTime() - lastProgress;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (idle < timeoutNanos) {
                    schedule(timeoutNanos - idle);
                    return;
                }
                fired = true;
            }
            // Outside the lock: dropping a connection may take a moment, and close() must not wait for it.
            onTimeout.run();
        }
    }
}
