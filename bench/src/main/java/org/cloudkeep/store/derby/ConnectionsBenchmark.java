package org.cloudkeep.store.derby;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.cloudkeep.bench.BenchmarksDoc;

/**
 * What a unit of work costs with a fresh embedded connection (how the store worked before the
 * pool) and with the runtime's pooled {@link DerbyDataSource}: open a connection, run one small
 * indexed query, close. Each unit of work of the runtimes (a report, a group answer, a token check)
 * opens its own connection. In this package for {@code DerbyDataSource}'s package-private
 * constructor; replaces its section of {@code docs/benchmarks.md}.
 */
public final class ConnectionsBenchmark {

    private static final int UNITS = Integer.getInteger("bench.connections.units", 20_000);
    private static final int ROUNDS = 5;
    private static final String QUERY = "SELECT COUNT(*) FROM SYS.SYSTABLES WHERE TABLENAME = ?";

    public static void main(String[] args) throws Exception {
        Path output = Path.of(BenchmarksDoc.required("bench.output"));
        String load = BenchmarksDoc.loadAverage();
        Path dir = Files.createTempDirectory("cloudkeep-bench-connections-");
        DerbyDataSource pooled = new DerbyDataSource(dir.resolve("db"));
        EmbeddedDataSource fresh = new EmbeddedDataSource();
        fresh.setDatabaseName(dir.resolve("db").toString());
        List<Double> freshMicros = new ArrayList<>();
        List<Double> pooledMicros = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                freshMicros.add(micros(fresh));
                pooledMicros.add(micros(pooled));
                System.out.printf(
                        Locale.ROOT,
                        "bench: round %d: fresh connection %.1f us, pooled %.1f us per unit of work%n",
                        round + 1,
                        freshMicros.get(round),
                        pooledMicros.get(round));
            }
        } finally {
            pooled.shutdown();
            BenchmarksDoc.deleteTree(dir);
        }
        StringBuilder out = new StringBuilder()
                .append("## Database connections: fresh or pooled\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "One embedded Derby database in a temporary folder, one JVM. A unit of work opens a"
                                + " connection, runs `%s` as a prepared statement, reads the one row and closes"
                                + " both: %,d units per round, %d rounds, each round once with a fresh embedded"
                                + " connection per unit (`EmbeddedDataSource`, how the store worked before the pool)"
                                + " and once through the runtime's `DerbyDataSource`, which hands out Derby's pooled"
                                + " connections. Every unit of work of the runtimes (a report, a group answer, a"
                                + " token check, a progress query) opens its own connection this way.%n%n",
                        QUERY,
                        UNITS,
                        ROUNDS))
                .append("Rerun: `LC_ALL=C.UTF-8 mvn -B -Pbench -pl bench exec:exec@connections`"
                        + " (`-Dbench.connections.units=N`).\n\n")
                .append(BenchmarksDoc.measuredOn(load))
                .append("\n\n| | fresh connection | pooled |\n|---|---:|---:|\n");
        for (int round = 0; round < ROUNDS; round++) {
            out.append(String.format(
                    Locale.ROOT,
                    "| round %d | %.1f µs | %.1f µs |%n",
                    round + 1,
                    freshMicros.get(round),
                    pooledMicros.get(round)));
        }
        double freshMedian = median(freshMicros);
        double pooledMedian = median(pooledMicros);
        out.append(String.format(
                Locale.ROOT,
                "| median | %.1f µs | %.1f µs |%n%nThe pooled unit of work costs %.1f × less (medians). Before the"
                        + " pool, opening connections was 6 %% of the device's and 10 %% of the cloud's Java"
                        + " samples while the device fetched in the WebDAV benchmark below.%n",
                freshMedian,
                pooledMedian,
                freshMedian / pooledMedian));
        BenchmarksDoc.replaceSection(output, "connections", out.toString());
    }

    private static double micros(DataSource source) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < UNITS; i++) {
            try (Connection c = source.getConnection();
                    PreparedStatement query = c.prepareStatement(QUERY)) {
                query.setString(1, "NO_SUCH_TABLE");
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next() || rows.getInt(1) != 0) {
                        throw new IllegalStateException("the query answered something else than 0");
                    }
                }
            }
        }
        return (System.nanoTime() - started) / 1e3 / UNITS;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
