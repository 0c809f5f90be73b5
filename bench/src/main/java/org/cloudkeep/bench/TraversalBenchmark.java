package org.cloudkeep.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.UnsupportedAccounts;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.merge.MergeResult;
import org.cloudkeep.merge.SnapshotMerger;
import org.cloudkeep.merge.internal.StreamingSnapshotMerger;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.SqlWork;
import org.cloudkeep.store.internal.TestDatabase;
import org.cloudkeep.traversal.internal.BenchTraverser;

/**
 * Traverses and merges a {@link SyntheticDrive} of {@code bench.folders} × {@code bench.files}
 * files (1,000 × 1,000 by default) in this JVM, which the pom starts with {@code -Xmx256m}: the real
 * Traverser and StreamingSnapshotMerger against a real embedded Derby database in a temporary
 * folder. First the whole drive (generation 0), then a re-traversal after a day of changes
 * (generation 1). Times the walk and the merge apart, checks the merge's counts against what the
 * drive changed, measures the heap's peak and the database's size, and replaces its section of
 * {@code docs/benchmarks.md}.
 */
public final class TraversalBenchmark {

    static final int GROUP_SIZE = 1000;
    /** Figures of the code before a change, kept by hand: what a change bought is measured, not guessed. */
    private static final String BEFORE =
            """
            Before the lean listing (decision 0016: the listing's two secondary indexes dropped, the folder queue \
            in a table of its own, listing batches of 2,000 committed on their own thread instead of 500 on the \
            walk's), measured 2026-11-22 02:54 UTC on this machine, first traversal / re-traversal: walk 121.2 s \
            / 144.5 s (8,259 / 6,865 entries a second), merge 211.7 s / 299.9 s (of which deleting the listing \
            95.2 s / 103.3 s), whole traversal 332.9 s / 444.4 s, most heap in use at once 220 MiB, database on \
            disk 963 MiB / 1,635 MiB.
            """;

    /** MergeConfig's default batch size (its constant is package-private). */
    static final int MERGE_BATCH = 500;

    private static final long MIB = 1024 * 1024;

    /** What a merge counted. */
    record Counts(long added, long changed, long removed, long unchanged) {
        long entries() {
            return added + changed + unchanged;
        }
    }

    /** One traversal: times in seconds, memory and sizes in bytes. */
    record Phase(
            String name,
            MergeResult merged,
            double walkSeconds,
            double transactionSeconds,
            double listingDeleteSeconds,
            HeapUse walkHeap,
            HeapUse mergeHeap,
            long gcCount,
            double gcSeconds,
            long dataBytes,
            long databaseBytes) {

        double mergeSeconds() {
            return transactionSeconds + listingDeleteSeconds;
        }

        double totalSeconds() {
            return walkSeconds + mergeSeconds();
        }
    }

    private final Database database;
    private final long containerId;
    private final OneContainer accounts;
    private final TimedMerger merger;
    private final BenchTraverser traverser;

    private TraversalBenchmark(Database database, long containerId, SyntheticDrive drive) {
        this.database = database;
        this.containerId = containerId;
        this.accounts = new OneContainer(containerId);
        this.merger = new TimedMerger(database);
        this.traverser = new BenchTraverser(database, accounts, new OneProvider(drive), merger);
    }

    public static void main(String[] args) throws Exception {
        int folders = Integer.getInteger("bench.folders", 1000);
        int files = Integer.getInteger("bench.files", 1000);
        Path output = Path.of(BenchmarksDoc.required("bench.output"));
        String load = BenchmarksDoc.loadAverage();
        System.out.printf(
                Locale.ROOT,
                "bench: traversal of %,d folders x %,d files, max heap %d MiB%n",
                folders,
                files,
                Runtime.getRuntime().maxMemory() / MIB);

        Path temp = Files.createTempDirectory("cloudkeep-bench-traversal-");
        try (TestDatabase database = TestDatabase.cloud(temp)) {
            TraversalBenchmark bench =
                    new TraversalBenchmark(database, insertContainer(database), new SyntheticDrive(folders, files));
            Path db = temp.resolve("db");
            Counts everything = new Counts((long) folders * (files + 1), 0, 0, 0);
            Phase first = bench.phase("first traversal (generation 0)", 0, everything, db);
            Phase second = bench.phase("re-traversal (generation 1)", 1, afterDay(folders, files, 1), db);
            BenchmarksDoc.replaceSection(output, "traversal", section(folders, files, load, first, second));
        } finally {
            BenchmarksDoc.deleteTree(temp);
        }
    }

    /** Runs one traversal of the given generation and checks it against the expected counts. */
    Phase phase(String name, int generation, Counts expected, Path db) throws Exception {
        accounts.generation = generation;
        traverser.claim(containerId);
        System.gc();
        Heap.reset();
        long[] gcBefore = gc();
        merger.reset();
        System.out.println("bench: " + name + " ...");
        long started = System.nanoTime();
        traverser.traverse(containerId);
        long ended = System.nanoTime();
        long[] gcAfter = gc();

        String failure = failure();
        if (failure != null || merger.result == null) {
            throw new IllegalStateException(name + " failed: " + failure);
        }
        MergeResult merged = merger.result;
        Counts actual = new Counts(merged.added(), merged.changed(), merged.removed(), merged.unchanged());
        int groups = (int) ((expected.entries() + GROUP_SIZE - 1) / GROUP_SIZE);
        if (!actual.equals(expected) || merged.entries() != expected.entries() || merged.groups() != groups) {
            throw new IllegalStateException(name + ": the merge counted " + actual + ", " + merged.entries()
                    + " entries in " + merged.groups() + " groups; the synthetic drive changed " + expected + ", "
                    + expected.entries() + " entries in " + groups + " groups");
        }
        Phase phase = new Phase(
                name,
                merged,
                (merger.startedAt - started) / 1e9,
                (merger.committedAt - merger.startedAt) / 1e9,
                (ended - merger.committedAt) / 1e9,
                merger.walkHeap,
                Heap.use(),
                gcAfter[0] - gcBefore[0],
                (gcAfter[1] - gcBefore[1]) / 1e3,
                size(db.resolve("seg0")),
                size(db));
        System.out.println("bench: " + phase);
        return phase;
    }

    /**
     * What generation {@code g} of {@link SyntheticDrive} changed against generation 0, by its rules:
     * per folder, file i changed when i % 100 == g, deleted when i % 100 == 50 + g, and one file added
     * (number {@code files}) unless that number is itself a deleted one; the folders stay.
     */
    static Counts afterDay(int folders, int files, int g) {
        long added = 0;
        long changed = 0;
        long removed = 0;
        long unchanged = 1; // the folder itself
        for (int i = 0; i <= files; i++) {
            boolean deleted = i % 100 == 50 + g;
            if (i == files) {
                added += deleted ? 0 : 1;
            } else if (deleted) {
                removed++;
            } else if (i % 100 == g) {
                changed++;
            } else {
                unchanged++;
            }
        }
        return new Counts(added * folders, changed * folders, removed * folders, unchanged * folders);
    }

    static String section(int folders, int files, String load, Phase first, Phase second) throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        long worst = Stream.of(first.walkHeap(), first.mergeHeap(), second.walkHeap(), second.mergeHeap())
                .mapToLong(HeapUse::atOnce)
                .max()
                .orElseThrow();
        String xmx = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx"))
                .findFirst()
                .orElse("no -Xmx");
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "## Traversal and merge of %,d entries in a %s heap%n%n",
                first.merged().entries(),
                mib(maxHeap)));
        out.append(String.format(
                Locale.ROOT,
                "One container over a synthetic drive of %,d folders × %,d files, computed on the fly"
                        + " (`SyntheticDrive`: nothing of it is held in memory), traversed in one JVM started with `%s`"
                        + " by the real `Traverser` and `StreamingSnapshotMerger` against a real embedded Derby"
                        + " database in a temporary folder (`TestDatabase.cloud`), with the runtime's default settings:"
                        + " listing batches of 2,000 (each committed on the listing writer's own thread while the walk"
                        + " goes on), merge batches of 500, groups of %,d. The first traversal lists the whole drive"
                        + " into an empty container; the re-traversal lists it again after a day of changes (generation"
                        + " 1: 1 %% of the files changed, 1 %% deleted, one new file per folder), so its merge reads the"
                        + " %,d-entry snapshot and the listing side by side, writes the next snapshot and deletes the"
                        + " old one in one transaction (decision 0008). The traversal is driven as the scheduler drives"
                        + " it (make due, claim, traverse) on the benchmark's thread. The synthetic drive offers no"
                        + " change cursor, so both traversals walk the whole drive, as with any provider without"
                        + " `CHANGE_CURSOR`.%n%n",
                folders,
                files,
                xmx,
                GROUP_SIZE,
                first.merged().entries()));
        out.append("- **walk**: from the start of the traversal to the start of the merge: the provider's pages"
                + " written to the listing table in committed batches;\n"
                + "- **merge**: the merge's transaction (which holds the container's row, and past Derby's lock"
                + " escalation the whole entries table, until it commits), then deleting the merged listing in"
                + " committed chunks. The merge reads the listing `ORDER BY path_key, seq`, an order no index of"
                + " it gives (decision 0016), so Derby sorts the listing inside the transaction,"
                + " in a buffer that grows into free heap and spills sorted runs to disk;\n"
                + "- **peak heap used at once**: the heap in use just before each collection (when it is fullest),"
                + " from the collectors' notifications, the highest of them; reset after a `System.gc()` before the"
                + " walk and again when the merge starts. G1 lets the young generation grow into whatever heap is"
                + " free before it collects, and Derby's sort buffer grows while the heap has room, so this follows"
                + " the heap the JVM is given more than the container's size;\n"
                + "- **largest heap after a collection**: what the collectors could not free, at its highest. Young"
                + " collections leave the old generation's dead objects until a mixed or full collection, so this"
                + " too is an upper bound of what is really held;\n"
                + "- **sum of the heap pools' peaks** (`MemoryPoolMXBean.getPeakUsage`, reset the same way): each"
                + " pool peaks at its own moment, so the sum can exceed the maximum heap; it is not a use at once;\n"
                + "- the merge's counts are **checked** against what the synthetic drive changed; a mismatch fails"
                + " the run;\n"
                + "- **database on disk**: the whole Derby folder after the traversal (`seg0` holds the tables and"
                + " indexes; the rest is mostly the transaction log). Derby does not give deleted rows' space back to"
                + " the file system, it reuses it.\n\n");
        out.append("Rerun: `")
                .append(BenchmarksDoc.COMMAND)
                .append("` runs every benchmark; this one alone, after building once with `-Dexec.skip=true`"
                        + " (or any earlier full run): `LC_ALL=C.UTF-8 mvn -B -Pbench -pl bench exec:exec@traversal`."
                        + " `-Dbench.folders=N -Dbench.files=N` change the size.\n\n");
        // The run is long: the load at its end says whether other work shared the CPUs meanwhile.
        String[] after = Files.readString(Path.of("/proc/loadavg")).split(" ");
        out.append(BenchmarksDoc.measuredOn(load))
                .append(" Load average after the run (1, 5, 15 min): ")
                .append(String.join(", ", after[0], after[1], after[2]))
                .append(". Garbage collectors: ")
                .append(collectors)
                .append(".\n\n");
        Table table = new Table(out, first, second);
        table.row("Entries in the new snapshot", p -> count(p.merged().entries()));
        table.row("Groups", p -> count(p.merged().groups()));
        table.row(
                "Added / changed / removed / unchanged (checked)",
                p -> count(p.merged().added()) + " / "
                        + count(p.merged().changed()) + " / " + count(p.merged().removed()) + " / "
                        + count(p.merged().unchanged()));
        table.row("Walk", p -> seconds(p.walkSeconds()));
        table.row("Merge", p -> seconds(p.mergeSeconds()));
        table.row("… its transaction", p -> seconds(p.transactionSeconds()));
        table.row("… deleting the listing after the commit", p -> seconds(p.listingDeleteSeconds()));
        table.row("Whole traversal", p -> seconds(p.totalSeconds()));
        table.row("Entries per second, walk", p -> rate(p.merged().entries(), p.walkSeconds()));
        table.row("Entries per second, merge", p -> rate(p.merged().entries(), p.mergeSeconds()));
        table.row("Entries per second, whole", p -> rate(p.merged().entries(), p.totalSeconds()));
        table.row("Peak heap used at once, walk", p -> mib(p.walkHeap().atOnce()));
        table.row("Peak heap used at once, merge", p -> mib(p.mergeHeap().atOnce()));
        table.row("Largest heap after a collection, walk", p -> mib(p.walkHeap().afterGc()));
        table.row(
                "Largest heap after a collection, merge", p -> mib(p.mergeHeap().afterGc()));
        table.row("Sum of the heap pools' peaks, walk", p -> mib(p.walkHeap().poolPeaks()));
        table.row("Sum of the heap pools' peaks, merge", p -> mib(p.mergeHeap().poolPeaks()));
        table.row("Garbage collections (time)", p -> count(p.gcCount()) + " (" + seconds(p.gcSeconds()) + ")");
        table.row("Database on disk after: `seg0`", p -> mib(p.dataBytes()));
        table.row("Database on disk after: whole folder", p -> mib(p.databaseBytes()));
        out.append(String.format(
                Locale.ROOT,
                "%nBoth traversals ran to the end in a heap of at most %s (`Runtime.maxMemory()`). The most heap in"
                        + " use at once was %s: %s 256 MiB.%n",
                mib(maxHeap),
                mib(worst),
                worst < 256 * MIB ? "under" : "**not under**"));
        out.append("\n").append(BEFORE.strip()).append("\n");
        return out.toString();
    }

    /** A table with a column per traversal. */
    private record Table(StringBuilder out, Phase first, Phase second) {

        Table {
            out.append("| | " + first.name() + " | " + second.name() + " |\n|---|---:|---:|\n");
        }

        void row(String label, Function<Phase, String> value) {
            out.append("| " + label + " | " + value.apply(first) + " | " + value.apply(second) + " |\n");
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String rate(long entries, double seconds) {
        return String.format(Locale.ROOT, "%,.0f", entries / seconds);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) MIB);
    }

    /** The user, device, account and container rows, as the accounts service would write them. */
    static long insertContainer(Database database) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        return database.inTransaction(c -> {
            long user = insert(
                    c,
                    "INSERT INTO ck_users (username, password_hash, created_at) VALUES (?, ?, ?)",
                    "bench",
                    "not a password hash",
                    now);
            long device = insert(
                    c,
                    "INSERT INTO ck_devices (user_id, serial, name, created_at) VALUES (?, ?, ?, ?)",
                    user,
                    "BENCH-1",
                    "bench device",
                    now);
            long account = insert(
                    c,
                    "INSERT INTO ck_accounts (user_id, provider, label, sealed_credentials, created_at)"
                            + " VALUES (?, ?, ?, ?, ?)",
                    user,
                    SyntheticDrive.ID,
                    "synthetic",
                    "unused: the benchmark's Accounts answers the credentials",
                    now);
            return insert(
                    c,
                    "INSERT INTO ck_containers (user_id, account_id, device_id, folders, group_size,"
                            + " traverse_every_hours, state, next_traversal_at, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    user,
                    account,
                    device,
                    "[\"/\"]",
                    GROUP_SIZE,
                    24,
                    "WAITING",
                    now,
                    now);
        });
    }

    private static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < params.length; i++) {
                insert.setObject(i + 1, params[i]);
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Why the container's last traversal failed, or null when it is READY. */
    private String failure() throws SQLException {
        return database.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT state, last_error FROM ck_containers WHERE id = ?")) {
                q.setLong(1, containerId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getString(1).equals("READY") ? null : rs.getString(1) + ": " + rs.getString(2);
                }
            }
        });
    }

    /** Collections and milliseconds spent in them so far, over every collector. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .mapToLong(path -> path.toFile().length())
                    .sum();
        }
    }

    /**
     * The real merger, timed: when it started (the walk's end) and when its transaction committed;
     * and the walk's heap peak, read and reset as the merge starts.
     */
    static final class TimedMerger implements SnapshotMerger {

        private final SnapshotMerger merger;
        long startedAt;
        long committedAt;
        HeapUse walkHeap;
        MergeResult result;

        TimedMerger(Database database) {
            // The merge's transaction is the merger's first inTransaction call; it returns at the commit.
            // (Deleting the merged listing afterwards commits chunk by chunk through inTransaction too.)
            this.merger = new StreamingSnapshotMerger(
                    new Database() {
                        @Override
                        public <T> T inTransaction(SqlWork<T> work) throws SQLException {
                            T result = database.inTransaction(work);
                            if (committedAt == 0) {
                                committedAt = System.nanoTime();
                            }
                            return result;
                        }

                        @Override
                        public <T> T read(SqlWork<T> work) throws SQLException {
                            return database.read(work);
                        }

                        @Override
                        public DataSource dataSource() {
                            return database.dataSource();
                        }
                    },
                    MERGE_BATCH);
        }

        void reset() {
            startedAt = 0;
            committedAt = 0;
            walkHeap = null;
            result = null;
        }

        @Override
        public MergeResult merge(long containerId, long traversalId) throws SQLException {
            walkHeap = Heap.use();
            Heap.reset();
            startedAt = System.nanoTime();
            result = merger.merge(containerId, traversalId);
            return result;
        }
    }

    /**
     * The heap's use over a stretch of time, in bytes.
     *
     * @param atOnce the most heap in use at one moment: the largest heap just before a collection
     *     (when it is fullest), or now if that is more
     * @param afterGc the largest heap left after a collection: what the collector could not free
     * @param poolPeaks the sum of the heap pools' peak usage; pools peak at different moments, so this
     *     can exceed the maximum heap
     */
    record HeapUse(long atOnce, long afterGc, long poolPeaks) {}

    /** The heap's use since the last {@link #reset}, from the memory pools and the collectors' notifications. */
    static final class Heap {

        private static final List<MemoryPoolMXBean> POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        private static final Set<String> NAMES =
                POOLS.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        private static final AtomicLong MAX_BEFORE_GC = new AtomicLong();
        private static final AtomicLong MAX_AFTER_GC = new AtomicLong();

        static {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener(Heap::collected, null, null);
            }
        }

        private static void collected(Notification notification, Object handback) {
            if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo();
                MAX_BEFORE_GC.accumulateAndGet(heap(info.getMemoryUsageBeforeGc()), Math::max);
                MAX_AFTER_GC.accumulateAndGet(heap(info.getMemoryUsageAfterGc()), Math::max);
            }
        }

        private static long heap(Map<String, MemoryUsage> pools) {
            return pools.entrySet().stream()
                    .filter(pool -> NAMES.contains(pool.getKey()))
                    .mapToLong(pool -> pool.getValue().getUsed())
                    .sum();
        }

        static void reset() {
            POOLS.forEach(MemoryPoolMXBean::resetPeakUsage);
            MAX_BEFORE_GC.set(0);
            MAX_AFTER_GC.set(0);
        }

        static HeapUse use() {
            long now =
                    POOLS.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
            long peaks = POOLS.stream()
                    .mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
            return new HeapUse(Math.max(now, MAX_BEFORE_GC.get()), MAX_AFTER_GC.get(), peaks);
        }
    }

    /** The one provider installed: the synthetic drive. */
    private record OneProvider(CloudDriveProvider drive) implements ProviderRegistry {

        @Override
        public Optional<CloudDriveProvider> find(String providerId) {
            return providerId.equals(SyntheticDrive.ID) ? Optional.of(drive) : Optional.empty();
        }

        @Override
        public List<ProviderDescriptor> descriptors() {
            return List.of(drive.descriptor());
        }
    }

    /**
     * The accounts service as far as the traversal uses it: the container, and its account's
     * credentials, which carry the drive's generation.
     */
    static final class OneContainer extends UnsupportedAccounts {

        private final long containerId;
        volatile int generation;

        OneContainer(long containerId) {
            this.containerId = containerId;
        }

        @Override
        public Optional<Container> container(long id) {
            if (id != containerId) {
                return Optional.empty();
            }
            return Optional.of(new Container(
                    id,
                    1,
                    1,
                    SyntheticDrive.ID,
                    1,
                    List.of("/"),
                    GROUP_SIZE,
                    24,
                    0,
                    "WAITING",
                    Instant.now(),
                    null,
                    null));
        }

        @Override
        public AccountCredentials credentials(long accountId) {
            return new AccountCredentials(SyntheticDrive.ID, Map.of("generation", String.valueOf(generation)));
        }
    }
}
