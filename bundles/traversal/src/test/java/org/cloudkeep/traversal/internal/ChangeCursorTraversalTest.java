package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.Entry;
import org.cloudkeep.merge.internal.SnapshotFixture.ContainerRow;
import org.cloudkeep.merge.internal.SnapshotFixture.EntryRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-traversals through the provider's change cursor. */
class ChangeCursorTraversalTest {

    private static final List<String> ROOT = List.of("/");
    /** A folder whose name holds every character that means something in a LIKE pattern. */
    private static final String ODD = "/50%_off!";

    @TempDir
    Path folder;

    private Harness harness;
    private MemoryDrive drive;

    @BeforeEach
    void open() throws Exception {
        harness = new Harness(folder);
        drive = new MemoryDrive("cursor", 2, Capability.CHANGE_CURSOR)
                .folder("/a")
                .file("/a/1.txt", 1, "h1")
                .file("/a/2.txt", 2, "h2")
                .folder("/a/b")
                .file("/a/b/deep.txt", 3, "h3")
                .file("/top.txt", 4, "h4")
                .folder("/z")
                .file("/z/x.bin", 5, "h5")
                .folder(ODD)
                .file(ODD + "/a_b.txt", 6, "h6")
                .folder(ODD + "/sub")
                .file(ODD + "/sub/deep%.txt", 7, "h7")
                // Rows an unescaped pattern for the odd folder would take with it.
                .folder("/50xyzoff!")
                .file("/50xyzoff!/keep.txt", 8, "h8")
                .folder("/50%_off!x")
                .file("/50%_off!x/keep.txt", 9, "h9");
        harness.providers.install(drive);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private static void traverseNow(Traverser traverser, long container) throws Exception {
        traverser.makeDue(container);
        assertTrue(traverser.claim(container), "the container could be claimed");
        traverser.traverse(container);
    }

    private String storedCursor(long container) throws SQLException {
        return harness.database.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT change_cursor FROM ck_containers WHERE id = ?")) {
                q.setLong(1, container);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private void assertReady(long container, int snapshot) throws SQLException {
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("READY", row.state(), () -> "last error: " + row.lastError());
        assertEquals(snapshot, row.snapshot());
    }

    /** The snapshot holds exactly the drive's entries, and the fetched flags given. */
    private void assertSnapshotIsTheDrive(long container, int snapshot, Set<String> fetched) throws SQLException {
        Map<String, EntryRow> rows = harness.fixture.entries(container, snapshot);
        Map<String, Entry> expected = drive.entries();
        assertEquals(expected.keySet(), rows.keySet());
        for (Entry entry : expected.values()) {
            EntryRow row = rows.get(entry.path());
            assertEquals(entry.size(), row.size(), entry.path());
            assertEquals(entry.modified().toEpochMilli(), row.modifiedMs(), entry.path());
            assertEquals(entry.hash() == null ? null : entry.hash().value(), row.hashValue(), entry.path());
            assertEquals(entry.directory(), row.directory(), entry.path());
            assertEquals(fetched.contains(entry.path()), row.fetched(), entry.path());
        }
    }

    /** Adds, changes, re-adds and deletes, the odd folder with its children among them. */
    private void changeTheDrive() {
        drive.file("/a/new_1%.txt", 10, "h10") // added
                .folder("/n") // an added folder with a child
                .file("/n/in.txt", 11, "h11")
                .file("/top.txt", 40, "h40") // changed
                .file("/z/x.bin", 5, "h5") // reported, but the same content
                .remove("/a/2.txt") // a deleted file
                .remove(ODD) // a deleted folder, reported without its children
                .file("/tmp.txt", 1, "t") // added and deleted again
                .remove("/tmp.txt")
                .remove("/a/b") // deleted and made again, with other content
                .folder("/a/b")
                .file("/a/b/other.txt", 12, "h12");
    }

    @Test
    void theFirstTraversalStoresTheCursorItAskedForBeforeWalking() throws Exception {
        long container = harness.container("cursor", ROOT, 4, MemoryDrive.CREDENTIALS);
        String before = drive.cursorNow();
        // A file added while the walk lists /z: the cursor is older, so the next traversal sees it.
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/z") && call == 1) {
                drive.file("/a/during.txt", 13, "h13");
            }
        });

        traverseNow(harness.traverser(Harness.settings(5, 3)), container);

        assertReady(container, 1);
        assertEquals(before, storedCursor(container));
        assertEquals(1, drive.calls("changeCursor"));
        assertEquals(0, drive.calls("changesSince"));
        assertFalse(harness.fixture.entries(container, 1).containsKey("/a/during.txt"), "/a was listed before");

        drive.fault((operation, path, call) -> {});
        int listed = drive.calls("list");
        traverseNow(harness.traverser(Harness.settings(5, 3)), container);

        assertReady(container, 2);
        assertTrue(harness.fixture.entries(container, 2).containsKey("/a/during.txt"));
        assertSnapshotIsTheDrive(container, 2, Set.of());
        assertEquals(listed, drive.calls("list"), "nothing listed");
        assertEquals(drive.cursorNow(), storedCursor(container));
    }

    @Test
    void aReTraversalThroughTheCursorEndsExactlyAsAFullWalkWithoutListing() throws Exception {
        long container = harness.container("cursor", ROOT, 3, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 3));
        traverseNow(traverser, container);
        assertReady(container, 1);
        harness.fixture.markFetched(
                container, 1, "/a/1.txt", "/top.txt", "/z/x.bin", "/50xyzoff!/keep.txt", "/a/b/deep.txt");
        changeTheDrive();
        int listed = drive.calls("list");
        int stats = drive.calls("stat");

        traverseNow(traverser, container);

        assertReady(container, 2);
        assertEquals(listed, drive.calls("list"), "nothing listed");
        assertEquals(0, drive.calls("listTree"));
        assertEquals(stats + 1, drive.calls("stat"), "only the container folder is checked");
        assertEquals(1, drive.calls("changeCursor"), "the cursor came from the changes, not asked again");
        Set<String> fetched = Set.of("/a/1.txt", "/z/x.bin", "/50xyzoff!/keep.txt");
        assertSnapshotIsTheDrive(container, 2, fetched);
        assertEquals(drive.cursorNow(), storedCursor(container));
        ContainerRow viaCursor = harness.fixture.containerRow(container);
        assertEquals(4, viaCursor.lastAdded(), "new_1%, /n, /n/in.txt, /a/b/other.txt; /a/b is as it was");
        assertEquals(1, viaCursor.lastChanged(), "/top.txt");
        assertEquals(6, viaCursor.lastRemoved(), "/a/2.txt, /a/b/deep.txt, and the odd folder's four");
        assertEquals(
                0,
                harness.fixture.listingRows(
                        harness.fixture.lastTraversal(container).id()));

        // The same state walked in full gives the same snapshot, row for row, and changes nothing.
        Map<String, EntryRow> second = harness.fixture.entries(container, 2);
        drive.expireCursors();
        traverseNow(traverser, container);

        assertReady(container, 3);
        assertTrue(drive.calls("list") > listed, "walked in full");
        assertEquals(
                List.copyOf(second.values()),
                List.copyOf(harness.fixture.entries(container, 3).values()));
        ContainerRow walked = harness.fixture.containerRow(container);
        assertEquals(0, walked.lastAdded() + walked.lastChanged() + walked.lastRemoved());
        assertEquals(drive.entries().size(), walked.lastUnchanged());
    }

    @Test
    void aRejectedCursorFallsBackToAFullWalkInTheSameTraversal() throws Exception {
        long container = harness.container("cursor", ROOT, 3, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 2));
        traverseNow(traverser, container);
        harness.fixture.markFetched(container, 1, "/a/1.txt", "/top.txt");
        changeTheDrive();
        drive.expireCursors();
        int listed = drive.calls("list");

        traverseNow(traverser, container);

        assertReady(container, 2);
        assertEquals(2, drive.calls("changeCursor"), "a new cursor for the full walk");
        assertEquals(1, drive.calls("changesSince"), "a rejected cursor is not retried");
        assertTrue(drive.calls("list") > listed, "walked in full");
        assertSnapshotIsTheDrive(container, 2, Set.of("/a/1.txt"));
        assertEquals(drive.cursorNow(), storedCursor(container));
        assertEquals(
                0,
                harness.fixture.listingRows(
                        harness.fixture.lastTraversal(container).id()));
    }

    @Test
    void aCursorRejectedAfterSomePagesFallsBackAndStillEndsRight() throws Exception {
        long container = harness.container("cursor", ROOT, 3, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 2));
        traverseNow(traverser, container);
        changeTheDrive();
        AtomicInteger pages = new AtomicInteger();
        drive.fault((operation, path, call) -> {
            if (operation.equals("changesSince") && pages.incrementAndGet() == 3) {
                drive.expireCursors(); // gone after two pages were applied
            }
        });

        traverseNow(traverser, container);

        assertReady(container, 2);
        assertEquals(3, drive.calls("changesSince"));
        assertSnapshotIsTheDrive(container, 2, Set.of());
        assertEquals(drive.cursorNow(), storedCursor(container));
    }

    @Test
    void changesOutsideTheContainersFolderAreIgnored() throws Exception {
        long container = harness.container("cursor", List.of("/a"), 10, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 500));
        traverseNow(traverser, container);
        drive.file("/top.txt", 99, "h99")
                .file("/a/added.txt", 1, "ha")
                .remove("/z")
                .folder("/a");
        int listed = drive.calls("list");

        traverseNow(traverser, container);

        assertReady(container, 2);
        assertEquals(listed, drive.calls("list"));
        Set<String> expected = new HashSet<>();
        for (String path : drive.paths()) {
            if (Traverser.below(path, "/a")) {
                expected.add(path);
            }
        }
        assertEquals(expected, harness.fixture.entries(container, 2).keySet());
    }

    @Test
    void aDeletedContainerFolderFailsAsAWalkWould() throws Exception {
        long container = harness.container("cursor", List.of("/a"), 10, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 500));
        traverseNow(traverser, container);
        String cursor = storedCursor(container);
        drive.remove("/a");

        traverseNow(traverser, container);

        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("FAILED", row.state());
        assertTrue(row.lastError().startsWith("the container's folder '/a' is not at the provider"), row.lastError());
        assertEquals(1, row.snapshot());
        assertEquals(cursor, storedCursor(container), "the snapshot and its cursor are kept");
        assertEquals(
                0,
                harness.fixture.listingRows(
                        harness.fixture.lastTraversal(container).id()));
    }

    @Test
    void aContainerOfTwoFoldersNeverUsesTheCursor() throws Exception {
        long container = harness.container("cursor", List.of("/a", "/z"), 10, MemoryDrive.CREDENTIALS);
        Traverser traverser = harness.traverser(Harness.settings(5, 500));

        traverseNow(traverser, container);
        drive.file("/a/added.txt", 1, "ha");
        traverseNow(traverser, container);

        assertReady(container, 2);
        assertEquals(0, drive.calls("changeCursor"));
        assertEquals(0, drive.calls("changesSince"));
        assertNull(storedCursor(container));
        assertEquals(2, drive.calls("list", "/z"), "listed each time");
        assertTrue(harness.fixture.entries(container, 2).containsKey("/a/added.txt"));
    }

    @Test
    void likePatternsEscapeTheirSpecialCharacters() {
        assertEquals("/50!%!_off!!", ChangeReplay.likePrefix(ODD));
        assertEquals("/plain/path", ChangeReplay.likePrefix("/plain/path"));
    }
}
