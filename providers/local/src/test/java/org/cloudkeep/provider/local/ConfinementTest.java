package org.cloudkeep.provider.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The session never reads outside its folder, whatever path or link it is given. */
class ConfinementTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private ProviderSession session;

    @BeforeEach
    void connect() throws Exception {
        root = Files.createDirectory(tmp.resolve("root"));
        Files.writeString(root.resolve("inside.txt"), "inside");
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        session = Drives.connect(root);
    }

    @Test
    void linksOutOfTheRootAreNotListed() throws Exception {
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("secret.txt"));
        Files.createDirectory(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../../outside")); // relative, climbing out

        assertEquals(List.of("inside.txt", "sub"), Drives.names(Drives.listAll(session, "/")));
        assertEquals(List.of(), Drives.listAll(session, "/sub"));
    }

    @Test
    void linksOutOfTheRootAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("secret.txt"));

        assertRefusedAsOutside(() -> session.stat("/out-file"));
        assertRefusedAsOutside(() -> session.open("/out-file", 0));
        assertRefusedAsOutside(() -> session.stat("/out-dir"));
        assertRefusedAsOutside(() -> session.list("/out-dir", null));
        assertRefusedAsOutside(() -> session.stat("/out-dir/secret.txt"));
        assertRefusedAsOutside(() -> session.open("/out-dir/secret.txt", 0));
    }

    @Test
    void aLinkThatLeavesAndComesBackIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(outside.resolve("back"), root.resolve("inside.txt"));

        assertRefusedAsOutside(() -> session.open("/out-dir/back", 0));
    }

    @Test
    void linksInsideTheRootAreListedAsWhatTheyPointTo() throws Exception {
        Path real = Files.createDirectory(root.resolve("real"));
        Files.writeString(real.resolve("a.txt"), "content of a");
        Files.createSymbolicLink(root.resolve("link-dir"), real);
        Files.createSymbolicLink(root.resolve("link-file"), Path.of("real/a.txt"));

        List<Entry> entries = Drives.listAll(session, "/");

        assertEquals(List.of("inside.txt", "link-dir", "link-file", "real"), Drives.names(entries));
        Entry linkDir = entries.get(1);
        assertTrue(linkDir.directory());
        Entry linkFile = entries.get(2);
        assertFalse(linkFile.directory());
        assertEquals(12, linkFile.size());
        assertEquals(
                Drives.sha256("content of a".getBytes(UTF_8)), linkFile.hash().value());
        assertEquals(
                List.of("/link-dir/a.txt"),
                Drives.listAll(session, "/link-dir").stream().map(Entry::path).toList());
        assertEquals("content of a", new String(Drives.read(session, "/link-file", 0), UTF_8));
        assertEquals("content of a", new String(Drives.read(session, "/link-dir/a.txt", 0), UTF_8));
        assertEquals(linkFile, session.stat("/link-file"));
    }

    @Test
    void linksBackToAFolderOnTheWayAreLeftOutSoTheTreeEnds() throws Exception {
        Path a = Files.createDirectories(root.resolve("a"));
        Files.writeString(a.resolve("file.txt"), "f");
        Files.createSymbolicLink(a.resolve("to-root"), root);
        Files.createSymbolicLink(a.resolve("to-self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("x"), Path.of("y/"));
        Files.createDirectory(root.resolve("y"));
        Files.createSymbolicLink(root.resolve("y/to-x"), Path.of("../x")); // y/to-x -> y: a loop through a link

        assertEquals(List.of("file.txt"), Drives.names(Drives.listAll(session, "/a")));
        assertEquals(List.of(), Drives.listAll(session, "/x"));
        assertEquals(List.of(), Drives.listAll(session, "/y"));
    }

    @Test
    void danglingAndLoopingLinksAreLeftOut() throws Exception {
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing-here"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));

        assertEquals(List.of("inside.txt"), Drives.names(Drives.listAll(session, "/")));
        assertThrows(NotFoundException.class, () -> session.stat("/dangling"));
        assertThrows(ProviderException.class, () -> session.open("/loop", 0));
    }

    @Test
    void refusesPathsThatAreNotAbsoluteProviderPaths() {
        List<String> paths = List.of(
                "",
                "inside.txt",
                "./inside.txt",
                "..",
                "/..",
                "/../outside/secret.txt",
                "/./inside.txt",
                "/sub/../inside.txt",
                "//inside.txt",
                "/inside.txt/",
                "/inside\0.txt");
        for (String path : paths) {
            assertRefused(path, () -> session.stat(path));
            assertRefused(path, () -> session.open(path, 0));
            assertRefused(path, () -> session.list(path, null));
        }
        assertThrows(PermanentProviderException.class, () -> session.stat(null));
    }

    @Test
    void showsANulInAPathAsAnEscape() {
        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> session.stat("/inside\0.txt"));

        assertTrue(e.getMessage().contains("inside\\u0000.txt"), e.getMessage());
    }

    @Test
    void pipesAreLeftOutAndRefusedWithoutBlocking() throws Exception {
        Path fifo = root.resolve("pipe");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(List.of("inside.txt"), Drives.names(Drives.listAll(session, "/")));
            assertThrows(PermanentProviderException.class, () -> session.stat("/pipe"));
            assertThrows(PermanentProviderException.class, () -> session.open("/pipe", 0));
        });
    }

    private static void assertRefusedAsOutside(Executable call) {
        PermanentProviderException e = assertThrows(PermanentProviderException.class, call);
        assertTrue(e.getMessage().contains("outside the served folder"), e.getMessage());
        assertFalse(e.retryable());
    }

    private static void assertRefused(String path, Executable call) {
        PermanentProviderException e = assertThrows(PermanentProviderException.class, call, path);
        assertFalse(e.getMessage().contains("\0"), "the message should escape the NUL: " + e.getMessage());
    }

    private static boolean mkfifo(Path fifo) throws InterruptedException {
        try {
            Process process =
                    new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            return process.waitFor() == 0 && Files.exists(fifo);
        } catch (IOException e) {
            return false;
        }
    }
}
