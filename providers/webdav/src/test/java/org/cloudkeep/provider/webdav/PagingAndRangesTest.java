package org.cloudkeep.provider.webdav;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.provider.webdav.CannedServer.Answer;
import org.cloudkeep.provider.webdav.CannedServer.Request;
import org.junit.jupiter.api.Test;

/** Page tokens over one streamed answer, and downloads from an offset. */
class PagingAndRangesTest {

    private static final byte[] CONTENT = "0123456789abcdef".getBytes(UTF_8);

    /** A folder /f of {@code count} files named n0000, n0001, ... */
    private static CannedServer folderOf(int count) throws Exception {
        List<String> responses = new ArrayList<>();
        responses.add(CannedServer.folder("/dav/f/"));
        for (int i = 0; i < count; i++) {
            responses.add(CannedServer.file(String.format("/dav/f/n%04d", i), i));
        }
        Answer listing = Answer.multistatus(responses.toArray(String[]::new)).chunked();
        return new CannedServer(r -> r.rawPath().equals("/dav/f/") ? listing : null);
    }

    @Test
    void pagesComeFromOneAnswerWithTokensThatNameThePosition() throws Exception {
        try (CannedServer server = folderOf(2500);
                ProviderSession session = server.connect()) {
            List<String> names = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            String token = null;
            do {
                EntryPage page = session.list("/f", token);
                page.entries().forEach(e -> names.add(e.name()));
                token = page.nextPageToken();
                tokens.add(token);
                // Something else in between must not disturb the open listing.
                session.stat("/");
            } while (token != null && tokens.size() < 10);
            assertEquals(java.util.Arrays.asList("1000", "2000", null), tokens);
            assertEquals(2500, names.size());
            assertEquals("n2499", names.get(2499));
            assertEquals(1, server.requests("PROPFIND", "1").size(), "one PROPFIND for all pages");
        }
    }

    @Test
    void aFullLastPageHasNoToken() throws Exception {
        try (CannedServer server = folderOf(1000);
                ProviderSession session = server.connect()) {
            EntryPage page = session.list("/f", null);
            assertEquals(1000, page.entries().size());
            assertNull(page.nextPageToken());
        }
    }

    @Test
    void aTokenThatDoesNotContinueTheOpenAnswerListsAgainAndSkips() throws Exception {
        try (CannedServer server = folderOf(2500)) {
            try (ProviderSession session = server.connect()) {
                EntryPage late = session.list("/f", "2000");
                assertEquals(500, late.entries().size());
                assertEquals("n2000", late.entries().get(0).name());
                EntryPage again = session.list("/f", "1000");
                assertEquals("n1000", again.entries().get(0).name());
                assertEquals("2000", again.nextPageToken());
                assertEquals(2, server.requests("PROPFIND", "1").size());
            }
        }
    }

    @Test
    void aTokenPastTheEndGivesAnEmptyLastPage() throws Exception {
        try (CannedServer server = folderOf(10);
                ProviderSession session = server.connect()) {
            EntryPage page = session.list("/f", "50");
            assertTrue(page.entries().isEmpty());
            assertNull(page.nextPageToken());
        }
    }

    @Test
    void tokensThatAreNotPositionsAreRefused() throws Exception {
        try (CannedServer server = folderOf(10);
                ProviderSession session = server.connect()) {
            for (String token : List.of("", "abc", "-1", "1e3", "99999999999999999999")) {
                assertThrows(PermanentProviderException.class, () -> session.list("/f", token), token);
            }
        }
    }

    @Test
    void hostilePathsAreRefusedBeforeAnyRequest() throws Exception {
        try (CannedServer server = folderOf(1);
                ProviderSession session = server.connect()) {
            int before = server.requests().size();
            for (String path : List.of("/../etc", "relative", "/a//b", "/a/./b", "/a\0b")) {
                assertThrows(PermanentProviderException.class, () -> session.list(path, null), path);
                assertThrows(PermanentProviderException.class, () -> session.open(path, 0), path);
            }
            assertEquals(before, server.requests().size());
        }
    }

    /** Serves /dav/file with this answer to every GET; the stat of it as a 16-byte file. */
    private static CannedServer fileServer(java.util.function.Function<Request, Answer> get) throws Exception {
        return new CannedServer(r -> {
            if (!r.rawPath().equals("/dav/file")) {
                return null;
            }
            return r.method().equals("GET") ? get.apply(r) : Answer.multistatus(CannedServer.file("/dav/file", 16));
        });
    }

    private static byte[] read(ProviderSession session, long offset) throws Exception {
        try (InputStream in = session.open("/file", offset)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aRangedReadAsksForTheRestAndChecksWhatComes() throws Exception {
        try (CannedServer server = fileServer(r -> r.range() == null
                        ? new Answer(200, Map.of(), CONTENT, -1, false)
                        : new Answer(206, Map.of("Content-Range", "bytes 5-15/16"), slice(5), -1, false));
                ProviderSession session = server.connect()) {
            assertArrayEquals(CONTENT, read(session, 0));
            assertArrayEquals(slice(5), read(session, 5));
            List<Request> gets = server.requests().stream()
                    .filter(r -> r.method().equals("GET"))
                    .toList();
            assertNull(gets.get(0).range());
            assertEquals("bytes=5-", gets.get(1).range());
        }
    }

    @Test
    void aServerThatIgnoresRangeIsSkippedClientSide() throws Exception {
        try (CannedServer server = fileServer(r -> new Answer(200, Map.of(), CONTENT, -1, false));
                ProviderSession session = server.connect()) {
            assertArrayEquals(slice(7), read(session, 7));
        }
    }

    @Test
    void aRangeOtherThanAskedIsRefused() throws Exception {
        try (CannedServer server =
                        fileServer(r -> new Answer(206, Map.of("Content-Range", "bytes 0-15/16"), CONTENT, -1, false));
                ProviderSession session = server.connect()) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> read(session, 5));
            assertTrue(e.getMessage().contains("Content-Range"), e.getMessage());
        }
    }

    @Test
    void aRangeStartingAtTheEndIsEmptyAndBeyondIsRefused() throws Exception {
        try (CannedServer server = fileServer(r -> Answer.of(416, "Requested Range Not Satisfiable"));
                ProviderSession session = server.connect()) {
            assertArrayEquals(new byte[0], read(session, 16));
            assertThrows(PermanentProviderException.class, () -> read(session, 17));
            assertThrows(PermanentProviderException.class, () -> read(session, -1));
        }
    }

    @Test
    void statDescribesTheResourceAskedFor() throws Exception {
        try (CannedServer server = fileServer(r -> null);
                ProviderSession session = server.connect()) {
            Entry entry = session.stat("/file");
            assertEquals("/file", entry.path());
            assertEquals(16, entry.size());
            assertTrue(session.stat("/").directory());
        }
    }

    private static byte[] slice(int from) {
        return java.util.Arrays.copyOfRange(CONTENT, from, CONTENT.length);
    }
}
