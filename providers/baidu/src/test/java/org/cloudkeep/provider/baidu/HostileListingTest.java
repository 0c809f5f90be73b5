package org.cloudkeep.provider.baidu;

import static org.cloudkeep.provider.baidu.BaiduDouble.entryJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

/** Names and paths from a hostile server are checked, and what fails the check is skipped, not followed. */
class HostileListingTest extends WithDouble {

    @Test
    void badNamesAndEntriesOutsideTheFolderAreSkipped() throws Exception {
        files.mkdirs("/x");
        baidu.answerNext(
                BaiduDouble.LIST,
                200,
                listAnswer(
                        entryJson("..", "/x/..", true, 0, 1),
                        entryJson(".", "/x/.", true, 0, 2),
                        entryJson("", "/x/", false, 1, 3),
                        entryJson("a/b", "/x/a/b", false, 1, 4),
                        "{\"server_filename\":\"esc\\u002Fslash\",\"path\":\"/x/esc/slash\",\"isdir\":0,\"size\":1,"
                                + "\"fs_id\":5,\"server_mtime\":1}",
                        entryJson("nul\u0000.txt", "/x/nul\u0000.txt", false, 1, 6),
                        entryJson("passwd", "/etc/passwd", false, 1, 7),
                        entryJson("ok.txt", "/elsewhere/ok.txt", false, 1, 8),
                        entryJson("deeper.txt", "/x/sub/deeper.txt", false, 1, 9),
                        entryJson("ok.txt", "/x/ok.txt", false, 2, 10),
                        entryJson("a%2Fb", "/x/a%2Fb", false, 3, 11)));
        try (ProviderSession session = connect()) {
            // %2F is kept as the three characters it is: Baidu's names are not URL-encoded.
            assertEquals(List.of("/x/ok.txt", "/x/a%2Fb"), paths(session.list("/x", null)));
        }
    }

    @Test
    void aHostileEntryIsNeverFollowedByStatOrOpen() throws Exception {
        files.mkdirs("/x");
        String hostile = listAnswer(entryJson("passwd", "/etc/passwd", false, 10, 7));
        try (ProviderSession session = connect()) {
            baidu.answerNext(BaiduDouble.LIST, 200, hostile);
            assertThrows(NotFoundException.class, () -> session.stat("/x/passwd"));
            baidu.answerNext(BaiduDouble.LIST, 200, hostile);
            assertThrows(NotFoundException.class, () -> session.open("/x/passwd", 0));
            assertEquals(0, baidu.calls(BaiduDouble.FILEMETAS), "no download link was asked for");
        }
    }

    @Test
    void aRecursiveListingKeepsOnlyValidPathsBelowTheFolder() throws Exception {
        files.mkdirs("/x");
        baidu.answerNext(
                BaiduDouble.LISTALL,
                200,
                "{\"errno\":0,\"errmsg\":\"succ\",\"has_more\":0,\"cursor\":9,\"list\":["
                        + String.join(
                                ",",
                                entryJson("x", "/x", true, 0, 1),
                                entryJson("passwd", "/x/../etc/passwd", false, 1, 2),
                                entryJson("f", "/xy/f", false, 1, 3),
                                entryJson("f", "/elsewhere/f", false, 1, 4),
                                entryJson("other-name", "/x/a/f", false, 1, 5),
                                entryJson("f", "x/a/f", false, 1, 6),
                                entryJson("f", "/x//f", false, 1, 7),
                                entryJson("a", "/x/a", true, 0, 8),
                                entryJson("f", "/x/a/f", false, 1, 9))
                        + "]}");
        try (ProviderSession session = connect()) {
            assertEquals(List.of("/x/a", "/x/a/f"), paths(session.listTree("/x", null)));
        }
    }

    @Test
    void pathsGivenToTheSessionAreChecked() throws Exception {
        try (ProviderSession session = connect()) {
            for (String path : List.of("relative", "/a/../b", "/a/./b", "/a//b", "/a/", "/nul\u0000")) {
                assertThrows(PermanentProviderException.class, () -> session.list(path, null), path);
                assertThrows(PermanentProviderException.class, () -> session.stat(path), path);
                assertThrows(PermanentProviderException.class, () -> session.open(path, 0), path);
            }
            assertEquals(0, baidu.calls(BaiduDouble.LIST), "nothing was sent to Baidu");
        }
    }
}
