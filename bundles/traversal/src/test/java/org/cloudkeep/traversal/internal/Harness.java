package org.cloudkeep.traversal.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cloudkeep.merge.internal.SnapshotFixture;
import org.cloudkeep.merge.internal.StreamingSnapshotMerger;
import org.cloudkeep.store.internal.TestDatabase;

/** A migrated database, the real merger, and the test's accounts and providers. */
final class Harness implements AutoCloseable {

    final TestDatabase database;
    final SnapshotFixture fixture;
    final TestAccounts accounts = new TestAccounts();
    final TestProviders providers = new TestProviders();
    final StreamingSnapshotMerger merger;

    Harness(Path folder) throws Exception {
        database = TestDatabase.cloud(folder);
        fixture = new SnapshotFixture(database);
        merger = new StreamingSnapshotMerger(database, 500);
    }

    static Settings settings(int callAttempts, int batchSize) {
        return new Settings(Duration.ofSeconds(30), 2, callAttempts, Duration.ofSeconds(600), batchSize);
    }

    Traverser traverser(Settings settings) {
        return new Traverser(database, accounts, providers, merger, settings, Clock.systemUTC());
    }

    /** A container of a provider over folders, with its credentials, due at {@code due}. */
    long container(String provider, List<String> folders, int groupSize, Map<String, String> credentials, Instant due)
            throws SQLException {
        String json = folders.stream().map(f -> "\"" + f + "\"").collect(Collectors.joining(",", "[", "]"));
        long id = fixture.container(provider, json, groupSize, 24, due);
        accounts.put(id, fixture.accountOf(id), provider, folders, credentials);
        return id;
    }

    /** A container due now. */
    long container(String provider, List<String> folders, int groupSize, Map<String, String> credentials)
            throws SQLException {
        return container(
                provider, folders, groupSize, credentials, Instant.now().minusSeconds(1));
    }

    @Override
    public void close() {
        database.close();
    }
}
