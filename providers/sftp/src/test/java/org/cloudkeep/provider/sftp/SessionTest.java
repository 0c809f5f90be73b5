package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.itests.servers.MinaSftpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Listing page by page, names JSch would take for patterns, and what open and stat refuse. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest {

    private static final int PAGE_SIZE = 3;

    @TempDir
    static Path served;

    private MinaSftpServer server;
    private SftpProvider provider;
    private ProviderSession session;

    @BeforeAll
    void start() throws IOException {
        server = MinaSftpServer.serving(served).password(Accounts.PASSWORD).start();
        provider = new SftpProvider(SftpSettings.defaults().withPageSize(PAGE_SIZE));
    }

    @AfterAll
    void stop() throws IOException {
        provider.close();
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        session = provider.connect(Accounts.mina(server));
    }

    @AfterEach
    void disconnect() {
        session.close();
    }

    @Test
    void pagesHoldThePageSizeInNameOrderAndTheTokenIsTheLastName() throws Exception {
        Path folder = Files.createDirectories(served.resolve("paged"));
        for (String name : List.of("e", "a", "g", "c", "b", "f", "d")) {
            Files.writeString(folder.resolve(name), name);
        }
        EntryPage first = session.list("/paged", null);
        assertEquals(List.of("a", "b", "c"), names(first));
        assertEquals("c", first.nextPageToken());
        EntryPage second = session.list("/paged", first.nextPageToken());
        assertEquals(List.of("d", "e", "f"), names(second));
        EntryPage third = session.list("/paged", second.nextPageToken());
        assertEquals(List.of("g"), names(third));
        assertNull(third.nextPageToken());
    }

    @Test
    void aFolderThatFillsExactlyOnePageHasNoNextPage() throws Exception {
        Path folder = Files.createDirectories(served.resolve("full"));
        for (String name : List.of("x", "y", "z")) {
            Files.writeString(folder.resolve(name), name);
        }
        EntryPage page = session.list("/full", null);
        assertEquals(List.of("x", "y", "z"), names(page));
        assertTrue(page.last());
    }

    @Test
    void changesBetweenPagesNeitherRepeatNorShiftTheOthers() throws Exception {
        Path folder = Files.createDirectories(served.resolve("moving"));
        for (String name : List.of("b", "d", "f", "h", "j")) {
            Files.writeString(folder.resolve(name), name);
        }
        EntryPage first = session.list("/moving", null);
        assertEquals(List.of("b", "d", "f"), names(first));
        Files.writeString(folder.resolve("a"), "before the token");
        Files.delete(folder.resolve("d"));
        Files.writeString(folder.resolve("i"), "after the token");
        List<String> rest = new ArrayList<>();
        String token = first.nextPageToken();
        for (int pages = 0; token != null && pages < 10; pages++) {
            EntryPage page = session.list("/moving", token);
            rest.addAll(names(page));
            token = page.nextPageToken();
        }
        assertEquals(List.of("h", "i", "j"), rest);
    }

    @Test
    void namesWithPatternCharactersAreListedStattedAndReadAsThemselves() throws Exception {
        Path folder = Files.createDirectories(served.resolve("patterns"));
        List<String> names = List.of("a*b.txt", "back\\slash.txt", "q?.txt", "[x].txt");
        for (String name : names) {
            Files.writeString(folder.resolve(name), "content of " + name);
        }
        // Decoys a pattern would match instead.
        Files.writeString(folder.resolve("aXb.txt"), "decoy");
        Files.writeString(folder.resolve("qQ.txt"), "decoy");
        List<String> listed = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages == 0 || token != null && pages < 10; pages++) {
            EntryPage page = session.list("/patterns", token);
            listed.addAll(names(page));
            token = page.nextPageToken();
        }
        assertEquals(List.of("[x].txt", "a*b.txt", "aXb.txt", "back\\slash.txt", "q?.txt", "qQ.txt"), listed);
        for (String name : names) {
            String path = "/patterns/" + name;
            assertEquals(("content of " + name).length(), session.stat(path).size(), path);
            assertArrayEquals(("content of " + name).getBytes(StandardCharsets.UTF_8), read(path, 0), path);
        }
        Files.createDirectories(served.resolve("star*folder"));
        Files.writeString(served.resolve("star*folder/inside.txt"), "inside");
        assertEquals(List.of("inside.txt"), names(session.list("/star*folder", null)));
    }

    @Test
    void sizesAndTimesAreTheServersWithoutAHash() throws Exception {
        Path file = Files.writeString(served.resolve("dated.txt"), "twelve bytes");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2031-05-06T07:08:09Z")));
        Entry entry = session.stat("/dated.txt");
        assertEquals(12, entry.size());
        assertEquals(Instant.parse("2031-05-06T07:08:09Z"), entry.modified());
        assertNull(entry.hash());
        assertFalse(entry.directory());
        assertTrue(provider.descriptor().hashAlgorithms().isEmpty());
    }

    @Test
    void listingAFileOrWithAForeignTokenIsRefused() throws Exception {
        Files.writeString(served.resolve("plain.txt"), "plain");
        assertThrows(PermanentProviderException.class, () -> session.list("/plain.txt", null));
        assertThrows(PermanentProviderException.class, () -> session.list("/", "../x"));
        assertThrows(PermanentProviderException.class, () -> session.list("relative", null));
        assertThrows(PermanentProviderException.class, () -> session.stat(null));
    }

    @Test
    void openRefusesFoldersAndOffsetsOutsideTheFile() throws Exception {
        Files.writeString(served.resolve("five.txt"), "12345");
        Files.createDirectories(served.resolve("a-folder"));
        assertThrows(PermanentProviderException.class, () -> session.open("/a-folder", 0));
        assertThrows(PermanentProviderException.class, () -> session.open("/five.txt", -1));
        assertThrows(PermanentProviderException.class, () -> session.open("/five.txt", 6));
        assertThrows(NotFoundException.class, () -> session.open("/six.txt", 0));
        assertArrayEquals(new byte[0], read("/five.txt", 5));
        assertArrayEquals("345".getBytes(StandardCharsets.UTF_8), read("/five.txt", 2));
    }

    @Test
    void listingGoesOnWhileADownloadIsOpen() throws Exception {
        Files.write(served.resolve("big.bin"), new byte[300_000]);
        try (InputStream in = session.open("/big.bin", 0)) {
            byte[] start = in.readNBytes(1000);
            assertEquals(1000, start.length);
            assertTrue(session.stat("/big.bin").size() > 0);
            assertFalse(session.list("/", null).entries().isEmpty());
            assertEquals(300_000 - 1000, in.readAllBytes().length);
        }
    }

    @Test
    void aClosedSessionRefusesCalls() {
        session.close();
        assertThrows(PermanentProviderException.class, () -> session.stat("/"));
    }

    private byte[] read(String path, long offset) throws Exception {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    private static List<String> names(EntryPage page) {
        return page.entries().stream().map(Entry::name).toList();
    }
}
