package org.cloudkeep.merge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudkeep.merge.MergeResult;
import org.cloudkeep.merge.internal.SnapshotFixture.ContainerRow;
import org.cloudkeep.merge.internal.SnapshotFixture.EntryRow;
import org.cloudkeep.merge.internal.SnapshotFixture.Listing;
import org.cloudkeep.store.PathKeys;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingSnapshotMergerTest {

    private static final String SHA = "sha256";

    @TempDir
    Path folder;

    private TestDatabase database;
    private SnapshotFixture fixture;
    private StreamingSnapshotMerger merger;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.cloud(folder);
        fixture = new SnapshotFixture(database);
        merger = new StreamingSnapshotMerger(database, 500);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** What a traversal would write: the listing, in arrival order. */
    @FunctionalInterface
    interface Lister {
        void list(Listing listing) throws SQLException;
    }

    private MergeResult traverse(long container, Lister lister) throws SQLException {
        long traversal = fixture.traversal(container);
        try (Listing listing = fixture.listing(traversal)) {
            lister.list(listing);
        }
        return merger.merge(container, traversal);
    }

    @Test
    void firstMergeAddsEverythingInGroupsOfNNumberedFromOne() throws Exception {
        long container = fixture.container(3);
        fixture.update("UPDATE ck_containers SET failures = 2, last_error = 'earlier' WHERE id = ?", container);
        long traversal = fixture.traversal(container);
        try (Listing listing = fixture.listing(traversal)) {
            listing.folder("/docs", 1)
                    .folder("/photos", 2)
                    .file("/readme.txt", 10, 3, SHA, "r")
                    .file("/docs/a.txt", 11, 4, SHA, "a")
                    .file("/docs/b.txt", 12, 5, SHA, "b")
                    .folder("/docs/old", 6)
                    .file("/photos/1.jpg", 13, 7, SHA, "1");
        }
        Instant before = Instant.now();

        MergeResult result = merger.merge(container, traversal);

        Instant after = Instant.now();
        assertEquals(new MergeResult(1, 7, 0, 0, 0, 7, 3), result);
        Map<String, EntryRow> rows = fixture.entries(container, 1);
        assertEquals(7, rows.size());
        assertGroupedInKeyOrder(rows, 3);
        assertEquals(List.of(3L, 3L, 1L), groupSizes(rows, 3));
        rows.values().forEach(row -> assertFalse(row.fetched(), row.path() + " is new, so not fetched"));
        EntryRow readme = rows.get("/readme.txt");
        assertEquals(10, readme.size());
        assertEquals(3, readme.modifiedMs());
        assertEquals(SHA, readme.hashAlgorithm());
        assertEquals("r", readme.hashValue());
        assertFalse(readme.directory());
        assertTrue(rows.get("/docs/old").directory());
        assertNull(rows.get("/docs/old").hashAlgorithm());

        ContainerRow row = fixture.containerRow(container);
        assertEquals(1, row.snapshot());
        assertEquals("READY", row.state());
        assertEquals(0, row.failures());
        assertNull(row.lastError());
        assertEquals(7, row.lastAdded());
        assertEquals(0, row.lastChanged() + row.lastRemoved() + row.lastUnchanged());
        assertFalse(row.lastFinishedAt().isBefore(before.minusMillis(1)));
        assertFalse(
                row.nextTraversalAt().isBefore(before.plus(Duration.ofHours(24)).minusMillis(1)));
        assertFalse(row.nextTraversalAt().isAfter(after.plus(Duration.ofHours(24))));

        SnapshotFixture.TraversalRow done = fixture.traversalRow(traversal);
        assertEquals("MERGED", done.state());
        assertEquals(7, done.entries());
        assertEquals(0, fixture.listingRows(traversal), "the listing is deleted once merged");
    }

    @Test
    void unchangedWithAnEqualHashKeepsFetchedEvenWhenTheTimeMoved() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/a", 10, 100, SHA, "h1"));
        fixture.markFetched(container, 1, "/a");

        MergeResult result = traverse(container, l -> l.file("/a", 10, 999, SHA, "h1"));

        assertEquals(1, result.unchanged());
        assertEquals(0, result.changed());
        EntryRow a = fixture.entries(container, 2).get("/a");
        assertTrue(a.fetched());
        assertEquals(999, a.modifiedMs(), "the new snapshot carries what was listed now");
    }

    @Test
    void withoutHashesEqualSizeAndTimeMeanUnchanged() throws Exception {
        long container = fixture.container(10);
        traverse(
                container,
                l -> l.file("/same", 10, 100).file("/touched", 10, 100).file("/grown", 10, 100));
        fixture.markFetched(container, 1, "/same", "/touched", "/grown");

        MergeResult result = traverse(
                container,
                l -> l.file("/same", 10, 100).file("/touched", 10, 101).file("/grown", 11, 100));

        assertEquals(1, result.unchanged());
        assertEquals(2, result.changed());
        Map<String, EntryRow> rows = fixture.entries(container, 2);
        assertTrue(rows.get("/same").fetched());
        assertFalse(rows.get("/touched").fetched(), "another modified time means changed");
        assertFalse(rows.get("/grown").fetched(), "another size means changed");
    }

    @Test
    void aDifferentHashIsAChangeEvenWithTheSameSizeAndTime() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/a", 10, 100, SHA, "h1"));
        fixture.markFetched(container, 1, "/a");

        MergeResult result = traverse(container, l -> l.file("/a", 10, 100, SHA, "h2"));

        assertEquals(1, result.changed());
        EntryRow a = fixture.entries(container, 2).get("/a");
        assertFalse(a.fetched());
        assertEquals("h2", a.hashValue());
    }

    @Test
    void newEntriesAreUnfetchedAndDeletedOnesAreGone() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/keep", 1, 1, SHA, "k").file("/gone", 2, 2, SHA, "g"));
        fixture.markFetched(container, 1, "/keep", "/gone");

        MergeResult result =
                traverse(container, l -> l.file("/keep", 1, 1, SHA, "k").file("/new", 3, 3, SHA, "n"));

        assertEquals(new MergeResult(2, 1, 0, 1, 1, 2, 1), result);
        Map<String, EntryRow> rows = fixture.entries(container, 2);
        assertEquals(
                List.of("/keep", "/new").stream().sorted().toList(),
                rows.keySet().stream().sorted().toList());
        assertTrue(rows.get("/keep").fetched());
        assertFalse(rows.get("/new").fetched());
        assertTrue(fixture.entries(container, 1).isEmpty(), "the old snapshot is deleted");
        ContainerRow row = fixture.containerRow(container);
        assertEquals(2, row.snapshot());
        assertEquals(1, row.lastAdded());
        assertEquals(1, row.lastRemoved());
        assertEquals(1, row.lastUnchanged());
        assertEquals(0, row.lastChanged());
    }

    @Test
    void anEntryReportedMissingThatIsListedAgainIsToBeFetchedAgain() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/back", 10, 100, SHA, "b")
                .file("/kept", 20, 200, SHA, "k")
                .file("/new-content", 30, 300, SHA, "n1")
                .folder("/folder", 400));
        fixture.markMissing(container, 1, "/back", "/new-content", "/folder");
        fixture.markFetched(container, 1, "/kept");

        MergeResult result = traverse(container, l -> l.file("/back", 10, 100, SHA, "b")
                .file("/kept", 20, 200, SHA, "k")
                .file("/new-content", 31, 301, SHA, "n2")
                .folder("/folder", 400));

        assertEquals(new MergeResult(2, 0, 1, 0, 3, 4, 1), result);
        assertEquals(0, fixture.flag(container, 2, "/back"), "same content, but never fetched: fetch it");
        assertEquals(0, fixture.flag(container, 2, "/folder"));
        assertEquals(0, fixture.flag(container, 2, "/new-content"));
        assertEquals(1, fixture.flag(container, 2, "/kept"), "fetched and unchanged stays fetched");
    }

    @Test
    void anEntryReportedMissingThatIsNoLongerListedIsDropped() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/gone", 1, 1, SHA, "g").file("/kept", 2, 2, SHA, "k"));
        fixture.markMissing(container, 1, "/gone");
        fixture.markFetched(container, 1, "/kept");

        MergeResult result = traverse(container, l -> l.file("/kept", 2, 2, SHA, "k"));

        assertEquals(new MergeResult(2, 0, 0, 1, 1, 1, 1), result);
        assertEquals(List.of("/kept"), List.copyOf(fixture.entries(container, 2).keySet()));
        assertEquals(1, fixture.flag(container, 2, "/kept"));
        assertEquals(0, fixture.number("SELECT COUNT(*) FROM ck_entries WHERE fetched = 2"));
    }

    @Test
    void aFolderThatBecameAFileIsChangedAndSoIsTheReverse() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.folder("/x", 5).file("/y", 0, 5));
        fixture.markFetched(container, 1, "/x", "/y");

        MergeResult result = traverse(container, l -> l.file("/x", 0, 5).folder("/y", 5));

        assertEquals(2, result.changed());
        Map<String, EntryRow> rows = fixture.entries(container, 2);
        assertFalse(rows.get("/x").fetched());
        assertFalse(rows.get("/x").directory());
        assertFalse(rows.get("/y").fetched());
        assertTrue(rows.get("/y").directory());
    }

    @Test
    void hashesOfDifferentAlgorithmsFallBackToSizeAndTime() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/same", 10, 100, "md5", "m1")
                .file("/moved", 10, 100, "md5", "m2")
                .file("/nohash", 10, 100, SHA, "s3"));
        fixture.markFetched(container, 1, "/same", "/moved", "/nohash");

        MergeResult result = traverse(container, l -> l.file("/same", 10, 100, SHA, "s1")
                .file("/moved", 10, 200, SHA, "s2")
                .file("/nohash", 10, 100));

        assertEquals(2, result.unchanged());
        assertEquals(1, result.changed());
        Map<String, EntryRow> rows = fixture.entries(container, 2);
        assertTrue(rows.get("/same").fetched(), "md5 and sha256 say nothing about each other: size and time decide");
        assertFalse(rows.get("/moved").fetched());
        assertTrue(rows.get("/nohash").fetched(), "a hash on one side only: size and time decide");
    }

    @Test
    void aPathListedTwiceIsKeptOnceAsFirstListed() throws Exception {
        long container = fixture.container(10);

        MergeResult result = traverse(container, l -> l.file("/a", 1, 1, SHA, "first")
                .file("/b", 2, 2)
                .file("/a", 9, 9, SHA, "second")
                .file("/a", 8, 8));

        assertEquals(new MergeResult(1, 2, 0, 0, 0, 2, 1), result);
        EntryRow a = fixture.entries(container, 1).get("/a");
        assertEquals("first", a.hashValue());
        assertEquals(1, a.size());
    }

    @Test
    void addingEntriesRegroupsTheSnapshot() throws Exception {
        long container = fixture.container(2);
        List<String> paths = List.of("/p1", "/p2", "/p3", "/p4", "/p5");
        traverse(container, l -> {
            for (String p : paths) {
                l.file(p, 1, 1);
            }
        });
        fixture.markFetched(container, 1, "/p1", "/p2", "/p3", "/p4", "/p5");
        Map<String, EntryRow> first = fixture.entries(container, 1);
        assertGroupedInKeyOrder(first, 2);
        // A path whose key sorts before every other pushes each old entry one place on.
        String smallest = first.values().iterator().next().pathKey();
        String early = null;
        for (int i = 0; early == null; i++) {
            if (PathKeys.of("/early" + i).compareTo(smallest) < 0) {
                early = "/early" + i;
            }
        }
        String added = early;

        MergeResult result = traverse(container, l -> {
            for (String p : paths) {
                l.file(p, 1, 1);
            }
            l.file(added, 1, 1);
        });

        assertEquals(6, result.entries());
        assertEquals(3, result.groups());
        Map<String, EntryRow> second = fixture.entries(container, 2);
        assertGroupedInKeyOrder(second, 2);
        assertEquals(1, second.get(added).groupNo());
        int moved = 0;
        for (String p : paths) {
            assertTrue(second.get(p).fetched(), p + " is unchanged and keeps its flag in its new group");
            if (second.get(p).groupNo() != first.get(p).groupNo()) {
                moved++;
            }
        }
        assertTrue(moved >= 2, "group numbers moved: " + moved);
    }

    @Test
    void anEmptyListingEmptiesTheSnapshot() throws Exception {
        long container = fixture.container(10);
        traverse(container, l -> l.file("/a", 1, 1).file("/b", 1, 1));

        MergeResult result = traverse(container, l -> {});

        assertEquals(new MergeResult(2, 0, 0, 2, 0, 0, 0), result);
        assertTrue(fixture.entries(container, 2).isEmpty());
    }

    @Test
    void aMergeThatFailsMidwayLeavesEverythingAsItWasAndCanBeRetried() throws Exception {
        long container = fixture.container(7);
        traverse(container, l -> {
            for (int i = 0; i < 100; i++) {
                l.file("/f" + i, i, i, SHA, "h" + i);
            }
        });
        for (int i = 0; i < 100; i += 3) {
            fixture.markFetched(container, 1, "/f" + i);
        }
        Map<String, EntryRow> before = fixture.entries(container, 1);
        ContainerRow containerBefore = fixture.containerRow(container);
        long traversal = fixture.traversal(container);
        try (Listing listing = fixture.listing(traversal)) {
            for (int i = 0; i < 120; i++) {
                listing.file("/f" + i, i, i, SHA, i % 10 == 0 ? "changed" + i : "h" + i);
            }
        }
        StreamingSnapshotMerger failing = new StreamingSnapshotMerger(
                database.over(FailingDataSource.failingBatch(database.dataSource(), 3)), 10);

        SQLException failure = assertThrows(SQLException.class, () -> failing.merge(container, traversal));

        assertTrue(failure.getMessage().contains("injected"), failure.getMessage());
        assertEquals(before, fixture.entries(container, 1), "old rows, groups and fetched flags are as they were");
        assertTrue(fixture.entries(container, 2).isEmpty(), "nothing of the new snapshot remains");
        assertEquals(containerBefore, fixture.containerRow(container), "the container is as it was");
        assertEquals(120, fixture.listingRows(traversal), "the listing is kept for a retry");
        assertEquals("RUNNING", fixture.traversalRow(traversal).state());

        MergeResult retried = merger.merge(container, traversal);

        assertEquals(new MergeResult(2, 20, 10, 0, 90, 120, 18), retried);
        Map<String, EntryRow> after = fixture.entries(container, 2);
        for (int i = 0; i < 100; i++) {
            boolean expected = i % 3 == 0 && i % 10 != 0;
            assertEquals(expected, after.get("/f" + i).fetched(), "/f" + i);
        }
    }

    @Test
    void onlyARunningTraversalOfTheSameContainerCanBeMerged() throws Exception {
        long container = fixture.container(10);
        long other = fixture.container(10);
        long traversal = fixture.traversal(container);
        try (Listing listing = fixture.listing(traversal)) {
            listing.file("/a", 1, 1);
        }

        SQLException wrongContainer = assertThrows(SQLException.class, () -> merger.merge(other, traversal));
        assertTrue(wrongContainer.getMessage().contains("belongs to container " + container));
        fixture.update("UPDATE ck_traversals SET state = 'FAILED' WHERE id = ?", traversal);
        SQLException failed = assertThrows(SQLException.class, () -> merger.merge(container, traversal));
        assertTrue(failed.getMessage().contains("FAILED"));
        assertThrows(SQLException.class, () -> merger.merge(container, 999_999));

        assertEquals("WAITING", fixture.containerRow(container).state(), "every refusal was rolled back");
        assertEquals(0, fixture.containerRow(container).snapshot());
        assertEquals(1, fixture.listingRows(traversal));
    }

    @Test
    void twentyThousandEntriesMergeInBatches() throws Exception {
        long container = fixture.container(1000);
        int n = 20_000;
        traverse(container, l -> {
            for (int i = 0; i < n; i++) {
                l.file("/d" + (i % 50) + "/f" + i, i, i, SHA, "h" + i);
            }
        });
        fixture.update("UPDATE ck_entries SET fetched = 1 WHERE container_id = ?", container);
        long traversal = fixture.traversal(container);
        try (Listing listing = fixture.listing(traversal)) {
            // 100 changed, 100 removed (the last ones), 100 added.
            for (int i = 0; i < n - 100; i++) {
                listing.file("/d" + (i % 50) + "/f" + i, i, i, SHA, i < 100 ? "new" + i : "h" + i);
            }
            for (int i = 0; i < 100; i++) {
                listing.file("/added/f" + i, 1, 1);
            }
        }

        long started = System.nanoTime();
        MergeResult result = merger.merge(container, traversal);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        System.out.println("Merged " + n + " entries into " + n + " in " + millis + " ms");
        assertEquals(new MergeResult(2, 100, 100, 100, n - 200, n, 20), result);
        assertEquals(
                n - 200,
                fixture.number(
                        "SELECT COUNT(*) FROM ck_entries WHERE container_id = ? AND snapshot = 2 AND fetched = 1",
                        container));
        for (int group = 1; group <= 20; group++) {
            assertEquals(
                    1000,
                    fixture.number(
                            "SELECT COUNT(*) FROM ck_entries WHERE container_id = ? AND snapshot = 2 AND group_no = ?",
                            container,
                            group));
        }
        assertEquals(0, fixture.number("SELECT COUNT(*) FROM ck_entries WHERE snapshot = 1"));
    }

    /** Each row's group is its ordinal in path-key order, divided by N, plus 1. */
    private static void assertGroupedInKeyOrder(Map<String, EntryRow> rowsInKeyOrder, int groupSize) {
        int ordinal = 0;
        String lastKey = "";
        for (EntryRow row : rowsInKeyOrder.values()) {
            assertEquals(PathKeys.of(row.path()), row.pathKey());
            assertTrue(row.pathKey().compareTo(lastKey) > 0);
            assertEquals(ordinal / groupSize + 1, row.groupNo(), row.path() + " at ordinal " + ordinal);
            lastKey = row.pathKey();
            ordinal++;
        }
    }

    private static List<Long> groupSizes(Map<String, EntryRow> rows, int groups) {
        List<Long> sizes = new ArrayList<>();
        for (int g = 1; g <= groups; g++) {
            int group = g;
            sizes.add(rows.values().stream().filter(r -> r.groupNo() == group).count());
        }
        assertNotEquals(0, sizes.size());
        return sizes;
    }
}
