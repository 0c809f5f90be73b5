package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.provider.dropbox.DropboxDouble.Canned;
import org.junit.jupiter.api.Test;

class ListingAndDownloadTest extends DoubleTest {

    private static final String DOWNLOAD = "/2/files/download";

    @Test
    void pagesFollowTheCursorsToTheEnd() throws Exception {
        for (int i = 0; i < 10; i++) {
            server.write("/Docs/f" + i + ".txt", utf8("file " + i));
        }
        server.maxPage(3);
        try (ProviderSession session = connect()) {
            List<String> paths = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String token = null;
            do {
                EntryPage page = session.list("/Docs", token);
                page.entries().forEach(e -> paths.add(e.path()));
                sizes.add(page.entries().size());
                token = page.nextPageToken();
                assertTrue(sizes.size() <= 10, "the pages never end");
            } while (token != null);
            assertEquals(List.of(3, 3, 3, 1), sizes);
            assertEquals(10, paths.stream().distinct().count());
            assertTrue(paths.contains("/Docs/f9.txt"));
            // The first call asks Dropbox for the api's page size, non-recursively, without deleted entries.
            String arg = new String(server.lastRequest("/2/files/list_folder").body(), StandardCharsets.UTF_8);
            assertEquals(
                    new ObjectMapper()
                            .readTree("{\"path\":\"/Docs\",\"recursive\":false,\"include_deleted\":false,"
                                    + "\"limit\":1000}"),
                    new ObjectMapper().readTree(arg));
        }
    }

    @Test
    void theRootIsTheEmptyPathAndCanBeStatted() throws Exception {
        server.write("/top.txt", utf8("t"));
        try (ProviderSession session = connect()) {
            assertEquals(
                    List.of("/top.txt"),
                    session.list("/", null).entries().stream().map(Entry::path).toList());
            Entry root = session.stat("/");
            assertTrue(root.directory());
            assertEquals("/", root.path());
        }
    }

    @Test
    void listTreeGivesEveryEntryBelowTheFolder() throws Exception {
        server.write("/A/b/c.txt", utf8("c"));
        server.write("/A/d.txt", utf8("dd"));
        server.write("/Z/elsewhere.txt", utf8("z"));
        server.maxPage(2);
        try (ProviderSession session = connect()) {
            List<String> paths = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                EntryPage page = session.listTree("/A", token);
                page.entries().forEach(e -> paths.add(e.path()));
                token = page.nextPageToken();
                assertTrue(++pages <= 10, "the pages never end");
            } while (token != null);
            assertEquals(
                    List.of("/A/b", "/A/b/c.txt", "/A/d.txt"),
                    paths.stream().sorted().toList());
        }
    }

    @Test
    void entriesCarrySizeServerTimeAndContentHash() throws Exception {
        byte[] content = utf8("hello dropbox");
        Instant before = Instant.now().minusSeconds(2);
        server.write("/Docs/Readme.MD", content);
        try (ProviderSession session = connect()) {
            Entry entry = session.list("/Docs", null).entries().get(0);
            assertEquals("/Docs/Readme.MD", entry.path(), "the case Dropbox shows is kept");
            assertEquals(content.length, entry.size());
            assertTrue(!entry.modified().isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            assertEquals(DropboxProvider.CONTENT_HASH, entry.hash().algorithm());
            assertEquals(DropboxDouble.contentHash(content), entry.hash().value());
            assertEquals(entry, session.stat("/Docs/Readme.MD"));
            Entry folder = session.stat("/Docs");
            assertTrue(folder.directory());
            assertNull(folder.hash());
        }
    }

    @Test
    void theDownloadArgumentIsAsciiJsonWhateverTheName() throws Exception {
        String name = "/\u4e2d\u6587 caf\u00e9 \ud83d\ude00 \"q\" \u007f.txt";
        server.write(name, utf8("unicode"));
        try (ProviderSession session = connect()) {
            assertArrayEquals(utf8("unicode"), read(session, name, 0));
        }
        String header = server.lastRequest(DOWNLOAD).headers().get("dropbox-api-arg");
        assertTrue(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f), header);
        assertEquals(name, new ObjectMapper().readTree(header).get("path").asText());
        assertNull(server.lastRequest(DOWNLOAD).headers().get("range"), "no Range from offset 0");
    }

    @Test
    void readsStartAtAnyOffsetUpToTheSize() throws Exception {
        byte[] content = new byte[70_000];
        new java.util.Random(7).nextBytes(content);
        server.write("/data.bin", content);
        try (ProviderSession session = connect()) {
            for (int offset : new int[] {1, 65_536, 69_999}) {
                assertArrayEquals(
                        Arrays.copyOfRange(content, offset, content.length), read(session, "/data.bin", offset));
                assertEquals(
                        "bytes=" + offset + "-",
                        server.lastRequest(DOWNLOAD).headers().get("range"));
            }
            assertArrayEquals(new byte[0], read(session, "/data.bin", content.length));
            PermanentProviderException past =
                    assertThrows(PermanentProviderException.class, () -> session.open("/data.bin", content.length + 1));
            assertTrue(past.getMessage().contains("70000"), past.getMessage());
            assertThrows(PermanentProviderException.class, () -> session.open("/data.bin", -1));
        }
    }

    @Test
    void aServerThatIgnoresTheRangeIsSkippedToTheOffset() throws Exception {
        server.write("/data.bin", utf8("0123456789"));
        try (ProviderSession session = connect()) {
            server.enqueue(DOWNLOAD, new Canned(200, java.util.Map.of(), utf8("0123456789"), false, false));
            assertArrayEquals(utf8("456789"), read(session, "/data.bin", 4));

            server.enqueue(
                    DOWNLOAD,
                    new Canned(
                            206, java.util.Map.of("Content-Range", "bytes 0-9/10"), utf8("0123456789"), false, false));
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.open("/data.bin", 4));
            assertNotNull(e.getMessage());
        }
    }
}
