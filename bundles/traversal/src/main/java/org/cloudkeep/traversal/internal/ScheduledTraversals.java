package org.cloudkeep.traversal.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.merge.SnapshotMerger;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;
import org.cloudkeep.traversal.Traversals;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traverses containers when they are due, and at once when asked. One scheduler thread looks for
 * due containers every {@code checkEverySeconds} (and whenever it is woken), claims as many as
 * there are free walker threads, and hands each to one. Activation only starts the threads: the
 * crash recovery and every walk run on them.
 */
@Component(
        service = Traversals.class,
        configurationPid = ScheduledTraversals.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TraversalConfig.class)
public class ScheduledTraversals implements Traversals {

    static final String PID = "cloudkeep.traversal";

    /** How long deactivation waits for interrupted walks to record how they ended. */
    static final long STOP_WAIT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTraversals.class);

    private final Traverser traverser;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService walkers;
    private final AtomicInteger running = new AtomicInteger();
    /** Containers asked for while a traversal of theirs ran: due again as soon as it ends. */
    private final Set<Long> requested = ConcurrentHashMap.newKeySet();

    private volatile boolean recovered;
    private volatile boolean stopping;

    @Activate
    public ScheduledTraversals(
            @Reference(name = "database") Database database,
            @Reference(name = "accounts") Accounts accounts,
            @Reference(name = "providers") ProviderRegistry providers,
            @Reference(name = "merger") SnapshotMerger merger,
            TraversalConfig config) {
        this(database, accounts, providers, merger, Settings.of(config));
    }

    ScheduledTraversals(
            Database database,
            Accounts accounts,
            ProviderRegistry providers,
            SnapshotMerger merger,
            Settings settings) {
        this.settings = settings;
        this.traverser = new Traverser(database, accounts, providers, merger, settings, Clock.systemUTC());
        ThreadFactory threads = namedDaemons();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        this.walkers = Executors.newFixedThreadPool(settings.threads(), threads);
        // The first check recovers from a crash before it looks for due containers.
        scheduler.scheduleWithFixedDelay(this::check, 0, settings.checkEvery().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "Traversals scheduled: due containers looked for every {} s, {} at a time",
                settings.checkEvery().toSeconds(),
                settings.threads());
    }

    @Override
    public void requestNow(long containerId) {
        try {
            Traverser.Request request = traverser.makeDue(containerId);
            if (request == Traverser.Request.RUNNING) {
                requested.add(containerId);
                // The traversal may have ended in between; then this makes it due itself.
                request = traverser.makeDue(containerId);
                if (request != Traverser.Request.RUNNING) {
                    requested.remove(containerId);
                }
            }
            switch (request) {
                case DUE -> LOG.info("Container {}: traversal requested; due now", containerId);
                case RUNNING -> LOG.info(
                        "Container {}: traversal requested while one runs; another follows when it ends", containerId);
                case UNKNOWN -> LOG.info(
                        "Container {}: traversal requested, but there is no such container", containerId);
            }
        } catch (SQLException e) {
            LOG.warn("Container {}: a requested traversal could not be scheduled: {}", containerId, e.getMessage());
            throw new IllegalStateException(
                    "container " + containerId + ": the traversal could not be scheduled: " + e.getMessage(), e);
        }
        wake();
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        scheduler.shutdownNow();
        walkers.shutdownNow(); // interrupts the walks; each records that it stopped
        try {
            if (!walkers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn(
                        "Traversals still running after {} s; they are cleaned up at the next start",
                        STOP_WAIT_SECONDS);
            }
            scheduler.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Traversals stopped");
    }

    /** Looks for due containers and starts as many as there are free threads. */
    private void check() {
        if (stopping) {
            return;
        }
        try {
            if (!recovered) {
                traverser.recover();
                recovered = true;
            }
            int free = settings.threads() - running.get();
            if (free <= 0) {
                return;
            }
            for (long containerId : traverser.due(free)) {
                if (stopping || !traverser.claim(containerId)) {
                    continue;
                }
                running.incrementAndGet();
                try {
                    walkers.execute(() -> walk(containerId));
                } catch (RejectedExecutionException e) {
                    running.decrementAndGet();
                    traverser.release(containerId);
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (stopping) {
                return; // interrupted by the stop: nothing went wrong
            }
            LOG.warn(
                    "Looking for due containers failed; tried again in {} s: {}",
                    settings.checkEvery().toSeconds(),
                    e.toString());
        }
    }

    private void walk(long containerId) {
        try {
            traverser.traverse(containerId);
        } finally {
            running.decrementAndGet();
            if (!stopping && requested.remove(containerId)) {
                try {
                    traverser.makeDue(containerId);
                } catch (SQLException e) {
                    LOG.warn(
                            "Container {}: the requested traversal could not be scheduled: {}",
                            containerId,
                            e.getMessage());
                }
            }
            // A thread is free: serve whatever is due without waiting for the next check.
            wake();
        }
    }

    /** Runs a check now. */
    private void wake() {
        if (stopping) {
            return;
        }
        try {
            scheduler.execute(this::check);
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    private static ThreadFactory namedDaemons() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "cloudkeep-traversal-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
