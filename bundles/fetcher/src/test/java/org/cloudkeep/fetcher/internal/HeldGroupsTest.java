package org.cloudkeep.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldGroupsTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private TestDatabase database;
    private HeldGroups held;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.device(dir);
        held = new HeldGroups(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void adoptingAGroupKeepsItsEntriesAndNumber() throws Exception {
        Wire.Group group = receive(21, 4, entry("/a", 10), entry("/b", 20), folder("/d"));
        assertEquals(List.of(), held.adopt(group));

        assertEquals(List.of(new HeldGroups.Held(21, 4, "local")), held.held());
        List<HeldEntry> wanted = held.wanted(21, "", 10);
        assertEquals(3, wanted.size());
        assertArrayEquals(new long[] {2, 30}, held.totals(21));
        HeldEntry a =
                wanted.stream().filter(e -> e.path().equals("/a")).findFirst().orElseThrow();
        assertEquals(new ContentHash("sha256", "aa"), a.hash());
        assertEquals(T, a.modified());
    }

    @Test
    void theSameGroupAgainKeepsProgressAndForgetsWhatIsNoLongerListed() throws Exception {
        held.adopt(receive(21, 1, entry("/a", 10), entry("/b", 20), entry("/c", 30)));
        held.checkpoint(21, find("/a").pathKey(), 7);
        held.checkpoint(21, find("/c").pathKey(), 9);

        // The cloud lists /a again, /b no more (fetched), /c changed, /e is new.
        List<HeldEntry> dropped = held.adopt(receive(21, 1, entry("/a", 10), entry("/c", 31), entry("/e", 5)));

        assertEquals(
                List.of("/b", "/c"),
                dropped.stream().map(HeldEntry::path).sorted().toList());
        assertEquals(7, find("/a").durableBytes(), "the partial download of /a is kept");
        assertEquals(0, find("/c").durableBytes(), "/c changed: its partial is worthless");
        assertEquals(31, find("/c").size());
        assertEquals(0, find("/e").durableBytes());
        assertEquals(3, held.wanted(21, "", 10).size());
    }

    @Test
    void droppingAGroupAnswersTheFilesWhosePartialsMustGo() throws Exception {
        held.adopt(receive(21, 1, entry("/a", 10), entry("/b", 20), folder("/d")));
        held.adopt(receive(22, 3, entry("/x", 1)));

        List<HeldEntry> dropped = held.drop(21);

        assertEquals(
                List.of("/a", "/b"),
                dropped.stream().map(HeldEntry::path).sorted().toList());
        assertEquals(List.of(new HeldGroups.Held(22, 3, "local")), held.held());
        assertEquals(List.of(), held.wanted(21, "", 10));
        assertEquals(1, held.wanted(22, "", 10).size());
    }

    @Test
    void reportedEntriesAreForgotten() throws Exception {
        held.adopt(receive(21, 1, entry("/a", 10), entry("/b", 20)));
        held.forget(21, List.of(find("/a").pathKey()));
        assertEquals(
                List.of("/b"),
                held.wanted(21, "", 10).stream().map(HeldEntry::path).toList());
    }

    @Test
    void pagesFollowTheKeyOrder() throws Exception {
        Wire.Entry[] entries = new Wire.Entry[25];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = entry("/f" + i, i);
        }
        held.adopt(receive(5, 1, entries));
        List<String> seen = new java.util.ArrayList<>();
        String after = "";
        for (List<HeldEntry> page; !(page = held.wanted(5, after, 10)).isEmpty(); ) {
            assertTrue(page.size() <= 10);
            page.forEach(e -> seen.add(e.path()));
            after = page.get(page.size() - 1).pathKey();
        }
        assertEquals(25, seen.size());
        assertEquals(25, new java.util.HashSet<>(seen).size());
    }

    private HeldEntry find(String path) throws Exception {
        return held.wanted(21, "", 1000).stream()
                .filter(e -> e.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("not held: " + path));
    }

    private Wire.Group receive(long container, int groupNo, Wire.Entry... entries) throws Exception {
        try (HeldGroups.IncomingWriter writer = held.incoming()) {
            long receipt = writer.open();
            for (Wire.Entry e : entries) {
                writer.add(receipt, e);
            }
            writer.close(receipt);
            return new Wire.Group(container, groupNo, "local", Map.of("root", "/r"), receipt);
        }
    }

    private static Wire.Entry entry(String path, long size) {
        return new Wire.Entry(path, size, T, new ContentHash("sha256", "aa"), false);
    }

    private static Wire.Entry folder(String path) {
        return new Wire.Entry(path, 0, T, null, true);
    }

    private static void assertArrayEquals(long[] expected, long[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
