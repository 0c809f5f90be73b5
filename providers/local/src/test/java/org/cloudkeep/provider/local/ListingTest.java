package org.cloudkeep.provider.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {

    /** 127 two-byte letters and one one-byte letter: the longest name Linux file systems take. */
    private static final String LONGEST_NAME = "é".repeat(127) + "a";

    private static final String NFC_CAFE = "caf\u00e9";
    private static final String NFD_CAFE = "cafe\u0301";

    @TempDir
    Path tmp;

    private Path root;
    private ProviderSession session;

    @BeforeEach
    void connect() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        session = Drives.connect(root);
    }

    @Test
    void listsAwkwardNamesEachWithItsOwnContent() throws Exception {
        assertEquals(255, LONGEST_NAME.getBytes(UTF_8).length);
        List<String> names = List.of(
                "with space",
                " leading space",
                "trailing space ",
                NFC_CAFE,
                NFD_CAFE,
                "日本語のファイル名",
                "😀 grin",
                "\uff5e full-width tilde",
                LONGEST_NAME,
                "#%&?*:<>|\"\\ and 'quotes'",
                "-dash",
                "UPPER",
                "lower");
        Map<String, byte[]> contents = new HashMap<>();
        for (String name : names) {
            byte[] content = ("content of " + name + "\n").getBytes(UTF_8);
            Files.write(root.resolve(name), content);
            contents.put(name, content);
        }

        List<Entry> entries = Drives.listAll(session, "/");

        List<String> expected = new ArrayList<>(names);
        expected.sort(null);
        assertEquals(
                expected,
                Drives.names(entries),
                "names differ: does the test JVM run with a UTF-8 locale (LC_ALL=C.UTF-8)?");
        for (Entry entry : entries) {
            byte[] content = contents.get(entry.name());
            assertEquals("/" + entry.name(), entry.path());
            assertFalse(entry.directory(), entry.path());
            assertEquals(content.length, entry.size(), entry.path());
            assertEquals(new ContentHash("sha256", Drives.sha256(content)), entry.hash(), entry.path());
            assertArrayEquals(content, Drives.read(session, entry.path(), 0), entry.path());
            assertEquals(entry, session.stat(entry.path()));
        }
    }

    @Test
    void keepsNfcAndNfdFormsAsTwoFiles() throws Exception {
        Files.writeString(root.resolve(NFC_CAFE), "composed");
        Files.writeString(root.resolve(NFD_CAFE), "decomposed");

        List<Entry> entries = Drives.listAll(session, "/");

        // 'e' (U+0065) sorts before 'é' (U+00E9), so the decomposed form comes first.
        assertEquals(
                List.of("/" + NFD_CAFE, "/" + NFC_CAFE),
                entries.stream().map(Entry::path).toList());
        assertEquals("composed", new String(Drives.read(session, "/" + NFC_CAFE, 0), UTF_8));
        assertEquals("decomposed", new String(Drives.read(session, "/" + NFD_CAFE, 0), UTF_8));
    }

    @Test
    void leavesOutANameThatIsNotUtf8() throws Exception {
        // The Latin-1 bytes of "café" decode to "caf\uFFFD", which is the name of another, real file.
        Files.writeString(root.resolve("caf\uFFFD"), "the real one");
        assumeTrue(shell("printf latin1 > \"$(printf 'caf\\351')\""), "cannot make a Latin-1 file name");
        assertEquals(2, countFiles(root));

        List<Entry> entries = Drives.listAll(session, "/");

        assertEquals(List.of("caf\uFFFD"), Drives.names(entries));
        assertEquals(
                Drives.sha256("the real one".getBytes(UTF_8)),
                entries.get(0).hash().value());
    }

    @Test
    void refusesToLeaveOutNamesWhenTheRuntimeIsNotUtf8() throws Exception {
        Files.writeString(root.resolve("plain.txt"), "plain");
        assumeTrue(shell("printf latin1 > \"$(printf 'caf\\351')\""), "cannot make a Latin-1 file name");
        String encoding = System.getProperty("sun.jnu.encoding");
        assumeTrue(encoding != null, "this runtime does not say how it decodes file names");
        try {
            // Only the provider's check reads the property; the running JVM keeps decoding as before.
            System.setProperty("sun.jnu.encoding", "ANSI_X3.4-1968");

            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.list("/", null));
            assertTrue(e.getMessage().contains("LC_ALL=C.UTF-8"), e.getMessage());
        } finally {
            System.setProperty("sun.jnu.encoding", encoding);
        }
    }

    @Test
    void describesEmptyFilesAndEmptyFolders() throws Exception {
        Files.createFile(root.resolve("empty.txt"));
        Files.createDirectory(root.resolve("empty folder"));

        List<Entry> entries = Drives.listAll(session, "/");

        assertEquals(2, entries.size());
        Entry folder = entries.get(0);
        assertEquals("/empty folder", folder.path());
        assertTrue(folder.directory());
        assertEquals(0, folder.size());
        assertNull(folder.hash());
        Entry file = entries.get(1);
        assertEquals("/empty.txt", file.path());
        assertFalse(file.directory());
        assertEquals(0, file.size());
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                file.hash().value());
        assertArrayEquals(new byte[0], Drives.read(session, "/empty.txt", 0));

        EntryPage emptyFolder = session.list("/empty folder", null);
        assertEquals(List.of(), emptyFolder.entries());
        assertTrue(emptyFolder.last());
    }

    @Test
    void hashesAFileLargerThanTheBufferLikeMessageDigest() throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(42).nextBytes(content);
        Files.write(root.resolve("big.bin"), content);

        Entry entry = session.stat("/big.bin");

        assertEquals(content.length, entry.size());
        assertEquals(Drives.sha256(content), entry.hash().value());
        assertEquals("sha256", entry.hash().algorithm());
    }

    @Test
    void reportsTheModifiedTimeOfTheDisk() throws Exception {
        Instant when = Instant.parse("2021-03-04T05:06:07Z");
        Path file = Files.writeString(root.resolve("dated.txt"), "x");
        Path folder = Files.createDirectory(root.resolve("dated"));
        Files.setLastModifiedTime(file, FileTime.from(when));
        Files.setLastModifiedTime(folder, FileTime.from(when.plusSeconds(60)));

        assertEquals(when, session.stat("/dated.txt").modified());
        assertEquals(when.plusSeconds(60), session.stat("/dated").modified());
        assertEquals(
                List.of(when.plusSeconds(60), when),
                Drives.listAll(session, "/").stream().map(Entry::modified).toList());
    }

    @Test
    void listsChildrenOfSubfoldersWithTheirFullPath() throws Exception {
        Path deep = Files.createDirectories(root.resolve("a/b c"));
        Files.writeString(deep.resolve("d.txt"), "d");
        Files.writeString(root.resolve("a/top.txt"), "top");

        assertEquals(List.of("/a/b c", "/a/top.txt"), paths(Drives.listAll(session, "/a")));
        assertEquals(List.of("/a/b c/d.txt"), paths(Drives.listAll(session, "/a/b c")));
        assertEquals(1, session.stat("/a/b c/d.txt").size());
    }

    @Test
    void statOfTheRootIsAFolder() throws Exception {
        Entry entry = session.stat("/");

        assertEquals("/", entry.path());
        assertTrue(entry.directory());
    }

    @Test
    void pagesOf1000ListEveryNameOnceInOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            String name = "f" + i; // unpadded, so name order is not number order
            Files.createFile(root.resolve(name));
            expected.add(name);
        }
        expected.sort(null);

        List<EntryPage> pages = Drives.pages(session, "/");

        assertEquals(
                List.of(1000, 1000, 500),
                pages.stream().map(p -> p.entries().size()).toList());
        assertEquals(expected.get(999), pages.get(0).nextPageToken());
        assertEquals(expected.get(1999), pages.get(1).nextPageToken());
        assertTrue(pages.get(2).last());
        List<String> listed = new ArrayList<>();
        pages.forEach(p -> listed.addAll(Drives.names(p.entries())));
        assertEquals(expected, listed);
    }

    @Test
    void aFullLastPageHasNoToken() throws Exception {
        for (String name : List.of("a", "b", "c", "d")) {
            Files.createFile(root.resolve(name));
        }
        LocalFolderSession small = new LocalFolderSession(root.toRealPath(), 2);

        List<EntryPage> pages = Drives.pages(small, "/");

        assertEquals(2, pages.size());
        assertEquals("b", pages.get(0).nextPageToken());
        assertEquals(List.of("c", "d"), Drives.names(pages.get(1).entries()));
        assertTrue(pages.get(1).last());
    }

    @Test
    void aPageStartsAfterItsTokenEvenWhenThatNameWasDeleted() throws Exception {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            Files.createFile(root.resolve(name));
        }
        LocalFolderSession small = new LocalFolderSession(root.toRealPath(), 2);
        EntryPage first = small.list("/", null);
        assertEquals("b", first.nextPageToken());

        Files.delete(root.resolve("b"));
        Files.createFile(root.resolve("a2")); // sorts before the token: belongs to a page already given

        EntryPage second = small.list("/", first.nextPageToken());
        assertEquals(List.of("c", "d"), Drives.names(second.entries()));
        assertEquals("d", second.nextPageToken());
        EntryPage third = small.list("/", second.nextPageToken());
        assertEquals(List.of("e"), Drives.names(third.entries()));
        assertTrue(third.last());
    }

    @Test
    void refusesAnInvalidPageToken() throws Exception {
        Files.createFile(root.resolve("a"));

        for (String token : List.of("", ".", "..", "a/b", "a\0")) {
            PermanentProviderException e =
                    assertThrows(PermanentProviderException.class, () -> session.list("/", token), token);
            assertTrue(e.getMessage().contains("page token"), e.getMessage());
        }
    }

    @Test
    void aMissingPathIsNotFound() throws Exception {
        Files.writeString(root.resolve("file.txt"), "x");

        assertThrows(NotFoundException.class, () -> session.list("/missing", null));
        assertThrows(NotFoundException.class, () -> session.stat("/missing"));
        assertThrows(NotFoundException.class, () -> session.stat("/missing/deeper"));
        assertThrows(NotFoundException.class, () -> session.open("/missing", 0));
        NotFoundException below = assertThrows(NotFoundException.class, () -> session.stat("/file.txt/child"));
        assertTrue(below.getMessage().contains("'/file.txt' is not a folder"), below.getMessage());
    }

    @Test
    void listingAFileIsRefused() throws Exception {
        Files.writeString(root.resolve("file.txt"), "x");

        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> session.list("/file.txt", null));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void aFolderDeletedAfterConnectingIsNotFound() throws Exception {
        Path sub = Files.createDirectory(root.resolve("sub"));
        assertNotNull(session.stat("/sub"));

        Files.delete(sub);

        assertThrows(NotFoundException.class, () -> session.list("/sub", null));
    }

    private boolean shell(String command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("sh", "-c", command)
                    .directory(root.toFile())
                    .inheritIO()
                    .start();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long countFiles(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.count();
        }
    }

    private static List<String> paths(List<Entry> entries) {
        return entries.stream().map(Entry::path).toList();
    }
}
