package org.cloudkeep.traversal.internal;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.merge.SnapshotMerger;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;

/**
 * The benchmarks' way in to the package-private {@link Traverser}. It lives in the bench module but
 * in the traversal bundle's internal package: on the class path (one class loader) that makes it a
 * member of that package, which OSGi would never allow and no bundle sees. The benchmark thereby
 * drives the real Traverser with its default {@link Settings}, the way {@link ScheduledTraversals}
 * does, without the scheduler's threads, so that what is timed is one traversal and nothing else;
 * and the traversal bundle keeps its internals internal.
 */
public final class BenchTraverser {

    private final Traverser traverser;

    public BenchTraverser(Database database, Accounts accounts, ProviderRegistry providers, SnapshotMerger merger) {
        this.traverser = new Traverser(database, accounts, providers, merger, defaults(), Clock.systemUTC());
    }

    /** Makes a container due now and claims it, as a request for a traversal and the scheduler do. */
    public void claim(long containerId) throws SQLException {
        if (traverser.makeDue(containerId) != Traverser.Request.DUE || !traverser.claim(containerId)) {
            throw new IllegalStateException("container " + containerId + " could not be claimed for a traversal");
        }
    }

    /** Walks and merges a claimed container on this thread; records a failure in the container, never throws. */
    public void traverse(long containerId) {
        traverser.traverse(containerId);
    }

    /** The settings of an unconfigured runtime: every {@link TraversalConfig} attribute at its default. */
    private static Settings defaults() {
        TraversalConfig config = (TraversalConfig) Proxy.newProxyInstance(
                TraversalConfig.class.getClassLoader(),
                new Class<?>[] {TraversalConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
        return Settings.of(config);
    }
}
