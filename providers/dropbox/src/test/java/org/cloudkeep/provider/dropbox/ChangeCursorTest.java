package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.ChangePage;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

class ChangeCursorTest extends DoubleTest {

    @Test
    void addsModificationsAndDeletionsBelowTheFolderAreReported() throws Exception {
        server.write("/Docs/keep.txt", utf8("keep"));
        server.write("/Docs/modify.txt", utf8("old"));
        server.write("/Docs/delete.txt", utf8("bye"));
        server.write("/Other/x.txt", utf8("x"));
        try (ProviderSession session = connect()) {
            String cursor = session.changeCursor("/Docs");
            ChangePage nothing = session.changesSince(cursor);
            assertEquals(List.of(), nothing.changes());
            assertFalse(nothing.more());

            server.write("/Docs/sub/added.txt", utf8("new"));
            server.write("/Docs/modify.txt", utf8("newer and longer"));
            server.delete("/Docs/delete.txt");
            server.write("/Other/y.txt", utf8("elsewhere"));

            Map<String, Change> changes = drain(session, cursor);
            assertEquals(
                    List.of("/Docs/sub", "/Docs/sub/added.txt", "/Docs/modify.txt", "/Docs/delete.txt"),
                    List.copyOf(changes.keySet()),
                    "oldest first, only below /Docs");
            assertTrue(changes.get("/Docs/sub").entry().directory());
            Entry modified = changes.get("/Docs/modify.txt").entry();
            assertEquals(16, modified.size());
            assertEquals(
                    DropboxDouble.contentHash(utf8("newer and longer")),
                    modified.hash().value());
            assertTrue(changes.get("/Docs/delete.txt").deleted());
            assertNull(changes.get("/Docs/keep.txt"));
        }
    }

    @Test
    void manyChangesArriveInPagesAndTheLastCursorSeesOnlyWhatFollows() throws Exception {
        server.mkdirs("/Docs");
        server.maxPage(2);
        try (ProviderSession session = connect()) {
            String cursor = session.changeCursor("/");
            for (int i = 0; i < 5; i++) {
                server.write("/Docs/f" + i, utf8("x"));
            }
            List<String> paths = new ArrayList<>();
            int pages = 0;
            ChangePage page;
            do {
                page = session.changesSince(cursor);
                page.changes().forEach(c -> paths.add(c.path()));
                cursor = page.cursor();
                pages++;
                assertTrue(pages <= 10, "the changes never end");
            } while (page.more());
            assertEquals(List.of("/Docs/f0", "/Docs/f1", "/Docs/f2", "/Docs/f3", "/Docs/f4"), paths);
            assertEquals(3, pages);

            server.write("/Docs/late", utf8("y"));
            assertEquals(
                    List.of("/Docs/late"),
                    drain(session, cursor).keySet().stream().toList());
        }
    }

    @Test
    void anExpiredCursorSaysListAgain() throws Exception {
        server.mkdirs("/Docs");
        try (ProviderSession session = connect()) {
            String cursor = session.changeCursor("/Docs");
            server.resetCursors();
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.changesSince(cursor));
            assertTrue(e.getMessage().contains("list the folder again"), e.getMessage());
        }
    }

    @Test
    void aCursorForAMissingFolderIsNotFound() throws Exception {
        try (ProviderSession session = connect()) {
            assertThrows(org.cloudkeep.api.NotFoundException.class, () -> session.changeCursor("/nothing"));
        }
    }

    /** Every change since a cursor, by path, in order; the loop is bounded. */
    private static Map<String, Change> drain(ProviderSession session, String cursor) throws Exception {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (int round = 0; round < 100; round++) {
            ChangePage page = session.changesSince(cursor);
            page.changes().forEach(c -> changes.put(c.path(), c));
            cursor = page.cursor();
            if (!page.more()) {
                return changes;
            }
        }
        throw new AssertionError("the changes never end");
    }
}
