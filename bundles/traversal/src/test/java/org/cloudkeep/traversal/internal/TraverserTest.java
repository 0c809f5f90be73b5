package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.merge.internal.SnapshotFixture.ContainerRow;
import org.cloudkeep.merge.internal.SnapshotFixture.EntryRow;
import org.cloudkeep.merge.internal.SnapshotFixture.TraversalRow;
import org.cloudkeep.provider.local.LocalFolderProvider;
import org.cloudkeep.store.PathKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraverserTest {

    private static final List<String> ROOT = List.of("/");

    @TempDir
    Path folder;

    private Harness harness;
    private MemoryDrive drive;

    @BeforeEach
    void open() throws Exception {
        harness = new Harness(folder);
        drive = nestedTree(new MemoryDrive("memory", 2));
        harness.providers.install(drive);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    /** Eleven entries, three levels deep, one folder empty. */
    private static MemoryDrive nestedTree(MemoryDrive drive) {
        return drive.folder("/a")
                .file("/a/1.txt", 1, "h1")
                .file("/a/2.txt", 2, "h2")
                .file("/a/3.txt", 3, "h3")
                .folder("/a/b")
                .folder("/a/b/c")
                .file("/a/b/c/deep.txt", 4, "h4")
                .folder("/e")
                .file("/top.txt", 5, "h5")
                .folder("/z")
                .file("/z/x.bin", 6, "h6");
    }

    /** Makes the container due, claims it and traverses it here. */
    private static void traverseNow(Traverser traverser, long container) throws Exception {
        traverser.makeDue(container);
        assertTrue(traverser.claim(container), "the container could be claimed");
        traverser.traverse(container);
    }

    @Test
    void aFirstTraversalOfANestedTreeWithPagingMakesTheSnapshot() throws Exception {
        long container = harness.container("memory", ROOT, 4, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 3));

        traverseNow(traverser, container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("READY", row.state(), () -> "last error: " + row.lastError());
        assertEquals(1, row.snapshot());
        assertEquals(11, row.lastAdded());
        Map<String, EntryRow> entries = harness.fixture.entries(container, 1);
        assertEquals(drive.paths(), entries.keySet());
        EntryRow deep = entries.get("/a/b/c/deep.txt");
        assertEquals(4, deep.size());
        assertEquals(MemoryDrive.TIME.toEpochMilli(), deep.modifiedMs());
        assertEquals(ContentHash.SHA256, deep.hashAlgorithm());
        assertEquals("h4", deep.hashValue());
        assertFalse(deep.fetched());
        assertTrue(entries.get("/e").directory());
        int ordinal = 0;
        for (EntryRow entry : entries.values()) {
            assertEquals(ordinal / 4 + 1, entry.groupNo(), entry.path());
            ordinal++;
        }
        TraversalRow traversal = harness.fixture.lastTraversal(container);
        assertEquals("MERGED", traversal.state());
        assertEquals(11, traversal.entries());
        assertEquals(0, harness.fixture.listingRows(traversal.id()));
        assertEquals(0, drive.sessionsOpen(), "the session was closed");
        assertEquals(1, drive.connects());
        assertEquals(2, drive.calls("list", "/a"), "four children in pages of two");
        assertEquals(1, drive.calls("list", "/a/b/c"));
    }

    @Test
    void credentialsASessionRenewedAreStoredForTheNextTraversal() throws Exception {
        long container = harness.container("memory", ROOT, 4, MemoryDrive.CREDENTIALS);
        drive.renewed = Map.of("token", "secret", "refresh", "rotated");
        long account = harness.accounts.container(container).orElseThrow().accountId();

        traverseNow(harness.traverser(Harness.settings(5, 3)), container);

        assertEquals(
                Map.of("token", "secret", "refresh", "rotated"),
                harness.accounts.credentials(account).credentials());
    }

    @Test
    void onlyTheContainersFoldersAreListedEachOnce() throws Exception {
        long container = harness.container("memory", List.of("/a/b", "/a", "/z", "/a"), 10, MemoryDrive.CREDENTIALS);

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        Set<String> expected =
                Set.of("/a/1.txt", "/a/2.txt", "/a/3.txt", "/a/b", "/a/b/c", "/a/b/c/deep.txt", "/z/x.bin");
        assertEquals(expected, harness.fixture.entries(container, 1).keySet());
        assertEquals(1, drive.calls("list", "/a/b"), "a folder inside another container folder is listed once");
        assertEquals(0, drive.calls("list", "/"));
    }

    @Test
    void aReTraversalOfALocalFolderMergesAddsChangesAndDeletes() throws Exception {
        Path root = Files.createDirectories(folder.resolve("drive"));
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "hello");
        Files.writeString(docs.resolve("b.txt"), "world");
        Files.createDirectories(root.resolve("photos"));
        Files.writeString(root.resolve("photos/p.jpg"), "img");
        Files.writeString(root.resolve("keep.txt"), "same");
        harness.providers.install(new LocalFolderProvider());
        long container = harness.container(
                LocalFolderProvider.ID, ROOT, 2, Map.of(LocalFolderProvider.ROOT_FIELD, root.toString()));
        Traverser traverser = harness.traverser(Harness.settings(5, 500));
        traverseNow(traverser, container);
        Map<String, EntryRow> first = harness.fixture.entries(container, 1);
        assertEquals(
                Set.of("/docs", "/docs/a.txt", "/docs/b.txt", "/photos", "/photos/p.jpg", "/keep.txt"), first.keySet());
        harness.fixture.markFetched(container, 1, first.keySet().toArray(String[]::new));
        // Same size and time, other content: only the hash tells. The folder's time is put back too.
        FileTime aTime = Files.getLastModifiedTime(docs.resolve("a.txt"));
        FileTime docsTime = Files.getLastModifiedTime(docs);
        Files.writeString(docs.resolve("a.txt"), "HELLO", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(docs.resolve("a.txt"), aTime);
        Files.delete(docs.resolve("b.txt"));
        Files.writeString(docs.resolve("c.txt"), "new");
        Files.setLastModifiedTime(docs, docsTime);

        traverseNow(traverser, container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("READY", row.state(), () -> "last error: " + row.lastError());
        assertEquals(2, row.snapshot());
        assertEquals(1, row.lastAdded());
        assertEquals(1, row.lastChanged());
        assertEquals(1, row.lastRemoved());
        assertEquals(4, row.lastUnchanged());
        Map<String, EntryRow> second = harness.fixture.entries(container, 2);
        assertEquals(
                Set.of("/docs", "/docs/a.txt", "/docs/c.txt", "/photos", "/photos/p.jpg", "/keep.txt"),
                second.keySet());
        assertFalse(second.get("/docs/a.txt").fetched(), "changed content");
        assertFalse(second.get("/docs/c.txt").fetched(), "new");
        for (String unchanged : List.of("/docs", "/photos", "/photos/p.jpg", "/keep.txt")) {
            assertTrue(second.get(unchanged).fetched(), unchanged);
        }
        assertTrue(harness.fixture.entries(container, 1).isEmpty());
    }

    @Test
    void aProviderFailingMidWalkLeavesThePreviousSnapshotAsItWas() throws Exception {
        long container = harness.container("memory", ROOT, 3, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(2, 3));
        traverseNow(traverser, container);
        harness.fixture.markFetched(container, 1, "/a/1.txt", "/z", "/top.txt");
        Map<String, EntryRow> before = harness.fixture.entries(container, 1);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/z")) {
                throw new TransientProviderException("connection reset");
            }
        });
        Instant started = Instant.now();

        traverseNow(traverser, container);

        Instant ended = Instant.now();
        TraversalRow traversal = harness.fixture.lastTraversal(container);
        assertEquals("FAILED", traversal.state());
        assertEquals("listing folder '/z' failed 2 times: connection reset", traversal.error());
        assertEquals(0, harness.fixture.listingRows(traversal.id()), "the listing is deleted");
        assertEquals(before, harness.fixture.entries(container, 1), "the snapshot and its flags are untouched");
        assertTrue(harness.fixture.entries(container, 2).isEmpty());
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals(1, row.snapshot());
        assertEquals("FAILED", row.state());
        assertEquals(1, row.failures());
        assertEquals(traversal.error(), row.lastError());
        assertBetween(started.plus(Duration.ofMinutes(1)), ended.plus(Duration.ofMinutes(1)), row.nextTraversalAt());
        assertEquals(0, drive.sessionsOpen());

        traverseNow(traverser, container);

        ContainerRow again = harness.fixture.containerRow(container);
        assertEquals(2, again.failures());
        assertTrue(again.nextTraversalAt().isAfter(Instant.now().plus(Duration.ofSeconds(110))), "backoff doubles");

        drive.fault((operation, path, call) -> {});
        traverseNow(traverser, container);

        ContainerRow healed = harness.fixture.containerRow(container);
        assertEquals("READY", healed.state());
        assertEquals(0, healed.failures());
        assertNull(healed.lastError());
        assertTrue(harness.fixture.entries(container, 2).get("/top.txt").fetched());
    }

    @Test
    void aTransientErrorThatPassesOnTheSecondTryStillCompletes() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/a") && call == 1) {
                throw new TransientProviderException("time-out");
            }
        });

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        assertEquals("READY", harness.fixture.containerRow(container).state());
        assertEquals(drive.paths(), harness.fixture.entries(container, 1).keySet());
        assertEquals(3, drive.calls("list", "/a"), "one failed try, then two pages");
    }

    @Test
    void aRateLimitIsWaitedOutAndTheTraversalCompletes() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/") && call <= 2) {
                throw new RateLimitedException("slow down", Duration.ofMillis(200));
            }
        });

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        assertEquals("READY", harness.fixture.containerRow(container).state());
        assertEquals(drive.paths(), harness.fixture.entries(container, 1).keySet());
    }

    @Test
    void aRateLimitThatOutlastsTheTriesPostponesTheContainerByItsCappedRetryAfter() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list")) {
                throw new RateLimitedException("quota used up", Duration.ofHours(2));
            }
        });
        Instant started = Instant.now();

        traverseNow(harness.traverser(Harness.settings(1, 500)), container);

        Instant ended = Instant.now();
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertTrue(row.lastError().contains("rate limit"), row.lastError());
        assertBetween(started.plusSeconds(600), ended.plusSeconds(600), row.nextTraversalAt());
    }

    @Test
    void rejectedCredentialsFailAtOnce() throws Exception {
        long container = harness.container("memory", ROOT, 10, Map.of("token", "wrong"));

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertEquals(
                "connecting to provider 'memory': the provider rejected the account's credentials (the token is"
                        + " wrong); enter them again",
                row.lastError());
        assertEquals(1, drive.connects(), "not retried");
    }

    @Test
    void aPermanentFailureEndsTheTraversalWithoutRetrying() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/a")) {
                throw new PermanentProviderException("access denied");
            }
        });

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        assertEquals(
                "listing folder '/a' failed: access denied",
                harness.fixture.containerRow(container).lastError());
        assertEquals(1, drive.calls("list", "/a"));
    }

    @Test
    void aMissingProviderFailsClearly() throws Exception {
        long container = harness.container("nowhere", ROOT, 10, Map.of());

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        String expected = "provider 'nowhere' is not installed; the traversal is retried when it is";
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertEquals(expected, row.lastError());
        assertEquals(expected, harness.fixture.lastTraversal(container).error());
        assertEquals(0, row.snapshot());
    }

    @Test
    void aMissingContainerFolderIsNamed() throws Exception {
        long container = harness.container("memory", List.of("/a", "/gone"), 10, MemoryDrive.CREDENTIALS);

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertTrue(
                row.lastError().startsWith("the container's folder '/gone' is not at the provider"), row.lastError());
        assertEquals(
                0,
                harness.fixture.listingRows(
                        harness.fixture.lastTraversal(container).id()));
    }

    @Test
    void aFolderThatVanishesBetweenListingAndVisitIsSkipped() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/a/b")) {
                throw new NotFoundException("no folder /a/b");
            }
        });

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        assertEquals("READY", harness.fixture.containerRow(container).state());
        Set<String> expected = new HashSet<>(drive.paths());
        expected.removeAll(Set.of("/a/b/c", "/a/b/c/deep.txt"));
        assertEquals(expected, harness.fixture.entries(container, 1).keySet());
    }

    @Test
    void aRecursiveListingIsUsedWhenTheProviderOffersIt() throws Exception {
        MemoryDrive trees = nestedTree(new MemoryDrive("trees", 3, Capability.RECURSIVE_LISTING));
        harness.providers.install(trees);
        long container = harness.container("trees", ROOT, 10, MemoryDrive.CREDENTIALS);

        traverseNow(harness.traverser(Harness.settings(5, 2)), container);

        assertEquals("READY", harness.fixture.containerRow(container).state());
        assertEquals(trees.paths(), harness.fixture.entries(container, 1).keySet());
        assertEquals(4, trees.calls("listTree", "/"), "eleven entries in pages of three");
        assertEquals(0, trees.calls("list", "/"));
    }

    @Test
    void anEntryListedOutsideItsFolderFailsTheTraversal() throws Exception {
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        drive.stray(Entry.file("/a/elsewhere.txt", 1, MemoryDrive.TIME, null));

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertTrue(row.lastError().contains("'/a/elsewhere.txt' as a child of '/'"), row.lastError());
    }

    @Test
    void aWalkOfFiftyThousandEntriesCompletes() throws Exception {
        SyntheticDrive big = new SyntheticDrive(50, 1000, 1000);
        harness.providers.install(big);
        long container = harness.container(SyntheticDrive.ID, ROOT, 1000, Map.of());
        long started = System.nanoTime();

        traverseNow(harness.traverser(Harness.settings(5, 500)), container);

        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.println("Traversed and merged " + big.entries() + " entries in " + millis + " ms");
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("READY", row.state(), () -> "last error: " + row.lastError());
        assertEquals(big.entries(), row.lastAdded());
        assertEquals(
                big.entries(),
                harness.fixture.number(
                        "SELECT COUNT(*) FROM ck_entries WHERE container_id = ? AND snapshot = 1", container));
        assertEquals(
                51,
                harness.fixture.number(
                        "SELECT MAX(group_no) FROM ck_entries WHERE container_id = ? AND snapshot = 1", container));
        assertEquals(
                1,
                harness.fixture.number(
                        "SELECT COUNT(*) FROM ck_entries WHERE container_id = ? AND snapshot = 1 AND path_key = ?",
                        container,
                        PathKeys.of("/d49/f999")));
    }

    @Test
    void aMergeHoldingAContainerRowDoesNotHoldUpTheScheduler() throws Exception {
        long merging = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        long due = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 500));
        try (Connection merge = harness.database.connect()) {
            merge.setAutoCommit(false);
            try (Statement lock = merge.createStatement()) {
                lock.executeUpdate("UPDATE ck_containers SET state = 'MERGING' WHERE id = " + merging);
            }

            CompletableFuture<List<Long>> found =
                    CompletableFuture.supplyAsync(() -> unchecked(() -> traverser.due(10)));
            CompletableFuture<Traverser.Request> asked =
                    CompletableFuture.supplyAsync(() -> unchecked(() -> traverser.makeDue(merging)));

            // Derby would wait 60 s for the row lock; these answer at once.
            assertEquals(List.of(due), found.get(10, TimeUnit.SECONDS));
            assertEquals(Traverser.Request.RUNNING, asked.get(10, TimeUnit.SECONDS));
            merge.rollback();
        }
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T unchecked(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theContainersFoldersAreCheckedAndTheInnermostDropped() throws Exception {
        assertEquals(List.of("/"), Traverser.folders(List.of("/a", "/", "/a/b")));
        assertEquals(List.of("/a", "/a-b"), Traverser.folders(List.of("/a", "/a-b", "/a/b")));
        assertTrue(Traverser.below("/a/b", "/a"));
        assertFalse(Traverser.below("/ab", "/a"));
        assertFalse(Traverser.below("/", "/"));
    }

    private static void assertBetween(Instant from, Instant to, Instant actual) {
        assertFalse(actual.isBefore(from.minusMillis(1)), actual + " before " + from);
        assertFalse(actual.isAfter(to.plusMillis(1)), actual + " after " + to);
    }
}
