package org.cloudkeep.provider.baidu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

/** One page is one call; tokens are Baidu's start positions and listall cursors. */
class PagingTest extends WithDouble {

    @Override
    BaiduSettings settings(BaiduSettings usual) {
        return usual.withPageSize(3);
    }

    @Test
    void aFolderIsListedThreeAtATimeWithStartPositionsAsTokens() throws Exception {
        for (int i = 0; i < 7; i++) {
            files.write("/f/" + i + ".txt", bytes("file " + i));
        }
        try (ProviderSession session = connect()) {
            EntryPage first = session.list("/f", null);
            assertEquals(List.of("/f/0.txt", "/f/1.txt", "/f/2.txt"), paths(first));
            assertEquals("3", first.nextPageToken());
            EntryPage second = session.list("/f", first.nextPageToken());
            assertEquals(List.of("/f/3.txt", "/f/4.txt", "/f/5.txt"), paths(second));
            EntryPage third = session.list("/f", second.nextPageToken());
            assertEquals(List.of("/f/6.txt"), paths(third));
            assertNull(third.nextPageToken(), "a short page is the last");
            assertEquals(3, baidu.calls(BaiduDouble.LIST), "one call per page");
            Entry six = third.entries().get(0);
            assertEquals(6, six.size());
            assertNull(six.hash(), "Baidu's listing md5 is not the data's: no hash");
        }
    }

    @Test
    void aFullLastPageIsFollowedByAnEmptyOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            files.write("/f/" + i, bytes("x"));
        }
        try (ProviderSession session = connect()) {
            EntryPage full = session.list("/f", null);
            assertEquals("3", full.nextPageToken());
            EntryPage empty = session.list("/f", full.nextPageToken());
            assertEquals(List.of(), empty.entries());
            assertTrue(empty.last());
        }
    }

    @Test
    void skippedEntriesDoNotShiftTheNextPage() throws Exception {
        files.mkdirs("/x");
        baidu.answerNext(
                BaiduDouble.LIST,
                200,
                listAnswer(
                        BaiduDouble.entryJson("..", "/x/..", true, 0, 1),
                        BaiduDouble.entryJson("a", "/x/a", false, 1, 2),
                        BaiduDouble.entryJson("b", "/elsewhere/b", false, 1, 3)));
        try (ProviderSession session = connect()) {
            EntryPage page = session.list("/x", null);
            assertEquals(List.of("/x/a"), paths(page));
            assertEquals("3", page.nextPageToken(), "the server sent three: the next page starts at 3");
        }
    }

    @Test
    void aTreeIsListedWithListallCursors() throws Exception {
        List<String> expected = new ArrayList<>();
        for (String path : List.of("/t/a/1", "/t/a/2", "/t/b/c/3", "/t/d")) {
            files.write(path, bytes(path));
        }
        expected.addAll(List.of("/t/a", "/t/a/1", "/t/a/2", "/t/b", "/t/b/c", "/t/b/c/3", "/t/d"));
        try (ProviderSession session = connect()) {
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                EntryPage page = session.listTree("/t", token);
                seen.addAll(paths(page));
                token = page.nextPageToken();
                assertTrue(++pages <= 10, "the cursors never end");
            } while (token != null);
            assertEquals(expected, seen);
            assertEquals(3, pages);
        }
    }

    @Test
    void aCursorThatDoesNotAdvanceIsRefused() throws Exception {
        baidu.answerNext(
                BaiduDouble.LISTALL, 200, "{\"errno\":0,\"has_more\":1,\"cursor\":0,\"list\":[],\"request_id\":1}");
        try (ProviderSession session = connect()) {
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.listTree("/", null));
            assertTrue(e.getMessage().contains("cursor"), e.getMessage());
        }
    }

    @Test
    void tokensThatAreNotPositionsAreRefused() throws Exception {
        try (ProviderSession session = connect()) {
            for (String token : List.of("abc", "-1", "1e3", "", "99999999999999999999")) {
                assertThrows(PermanentProviderException.class, () -> session.list("/", token), token);
                assertThrows(PermanentProviderException.class, () -> session.listTree("/", token), token);
            }
        }
    }

    @Test
    void statFindsAFileOnALaterPageOfItsFolder() throws Exception {
        for (int i = 0; i < 8; i++) {
            files.write("/f/" + i, bytes("#".repeat(i)));
        }
        try (ProviderSession session = connect()) {
            assertEquals(7, session.stat("/f/7").size());
            assertEquals(3, baidu.calls(BaiduDouble.LIST), "three pages to reach the eighth name");
            assertThrows(NotFoundException.class, () -> session.stat("/f/8"));
            assertThrows(NotFoundException.class, () -> session.stat("/nowhere/8"));
            assertTrue(session.stat("/").directory());
        }
    }
}
