package org.cloudkeep.backupfolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cloudkeep.api.ContentHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFolderTest {

    private static final Instant TIME = Instant.parse("2024-03-05T06:07:08.123Z");

    @TempDir
    Path temp;

    private Path root;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.resolve("backup");
        outside = Files.createDirectory(temp.resolve("outside"));
    }

    @Test
    void opensAndCreatesTheContainerFolder() throws IOException {
        BackupFolder folder = BackupFolder.open(temp.resolve("x/../backup"), 42);
        assertEquals(root.resolve("42").toAbsolutePath(), folder.path());
        assertTrue(folder.path().isAbsolute());
        assertTrue(Files.isDirectory(folder.path()));
        assertEquals(42, folder.containerId());
        assertEquals(folder.path(), BackupFolder.open(root, 42).path(), "opening again is fine");
    }

    @Test
    void aLinuxDiskKeepsWindowsForbiddenNamesAndLeavesNoProbeBehind() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 3);
        assertFalse(folder.portableNames(), "this test's temp folder accepts ':' in names");
        assertEquals("a:b?.txt", folder.storedAs("/a:b?.txt"));
        try (var list = Files.list(folder.path())) {
            assertEquals(List.of(), list.toList(), "the probe file is gone");
        }
    }

    @Test
    void onAFatLikeDiskForbiddenNamesAreEncodedRecordedAndReversible() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 4, true);
        String[] names = {"/notes: draft?.txt", "/CON", "/aux.log", "/trailing.", "/space ", "/pipe|dir/x\\y"};
        for (String name : names) {
            Incoming incoming = folder.incoming(name, 2, TIME, null);
            incoming.resume(0);
            incoming.append(new java.io.ByteArrayInputStream(new byte[] {1, 2}), 1 << 20, durable -> {});
            Placed placed = incoming.commit();
            assertTrue(placed.renamed(), name);
            for (String stored : placed.storedAs().split("/")) {
                assertTrue(SafeNamesTest.storableOnFat(stored), stored);
            }
        }
        assertEquals("~ck~notes%3A draft%3F.txt", folder.storedAs("/notes: draft?.txt"));
        assertEquals("~ck~%43ON", folder.storedAs("/CON"));
        assertEquals("~ck~trailing%2E", folder.storedAs("/trailing."));
        assertEquals("plain.txt", folder.storedAs("/plain.txt"));
        assertEquals(java.util.Optional.of("pipe|dir"), SafeNames.decode("~ck~pipe%7Cdir"));
        String manifest = Files.readString(folder.path().resolve(".cloudkeep-renamed.jsonl"));
        assertTrue(manifest.contains("\"path\":\"/CON\""), manifest);
    }

    @Test
    void refusesALinkedOrNonFolderRootOrContainer() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(temp.resolve("linked"), outside);
        IOException e = assertThrows(IOException.class, () -> BackupFolder.open(linkedRoot, 1));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());

        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("2"), outside);
        e = assertThrows(IOException.class, () -> BackupFolder.open(root, 2));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());

        Files.writeString(root.resolve("3"), "a file");
        e = assertThrows(IOException.class, () -> BackupFolder.open(root, 3));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());

        Path fileRoot = Files.writeString(temp.resolve("file-root"), "x");
        assertThrows(IOException.class, () -> BackupFolder.open(fileRoot, 1));
        assertEquals(List.of(), list(outside));
    }

    @Test
    void storedPathsAreTheEncodedNames() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        assertEquals("docs/a.txt", folder.storedAs("/docs/a.txt"));
        assertEquals("docs/a.txt", folder.storedAs("docs/a.txt"));
        assertEquals("", folder.storedAs("/"));
        assertEquals("a/~ck~%2E/b", folder.storedAs("/a/./b"));
        assertEquals("~ck~%2E./~ck~%2E./etc/passwd", folder.storedAs("/../../etc/passwd"));
        assertEquals("~ck~%2Ecloudkeep-versions/x", folder.storedAs("/.cloudkeep-versions/x"));
        assertEquals("~ck~%7Eck%7Eabc", folder.storedAs("/~ck~abc"));
        assertEquals("a/~ck~/b", folder.storedAs("/a//b"));
        assertEquals(folder.storedAs("/.."), folder.storedAs(".."));
        assertEquals(folder.path().resolve("docs/a.txt"), folder.locate("/docs/a.txt"));
        assertEquals(folder.path(), folder.locate("/"));
        assertFalse(Files.exists(folder.path().resolve("docs")), "locate creates nothing");
    }

    @Test
    void hostilePathsNeverLeaveTheContainerFolder() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 7);
        List<String> hostile = List.of(
                "/../../etc/passwd",
                "/a/../../b",
                "../relative",
                "/a/./b",
                "/new\nline",
                "/nul\u0000name",
                "/\u0001",
                "/\u007F",
                "/" + "n".repeat(300),
                "/.cloudkeep-versions/x",
                "/.cloudkeep-renamed.jsonl",
                "/.cloudkeep-part-00000000000000000000000000000000",
                "/~ck~abc",
                "/a/\uD800/b");
        for (String path : hostile) {
            Path file = folder.locate(path);
            assertTrue(file.startsWith(folder.path()) && !file.equals(folder.path()), path + " -> " + file);
            assertEquals(file, file.normalize(), path);
            byte[] content = path.getBytes(StandardCharsets.UTF_8);
            Placed placed = write(folder, path, content);
            assertArrayEquals(content, Files.readAllBytes(placed.file()), path);
            assertTrue(placed.renamed(), path);
        }
        assertEquals(List.of(), list(outside));
        assertEquals(List.of("backup", "outside"), list(temp));
        assertEquals(List.of("7"), list(root));
        // Our own files were not touched by the look-alikes:
        assertFalse(
                Files.exists(folder.path().resolve(".cloudkeep-versions")),
                () -> "nothing was replaced: " + walk(folder.path().resolve(".cloudkeep-versions")));
        try (Stream<Path> all = Files.walk(folder.path())) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".cloudkeep-part-")));
        }
    }

    @Test
    void aPlantedLinkIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        Files.createSymbolicLink(folder.path().resolve("evil"), outside);

        for (String path : List.of("/evil", "/evil/x", "/evil/deeper/y")) {
            IOException e = assertThrows(IOException.class, () -> folder.locate(path));
            assertTrue(e.getMessage().contains("evil"), e.getMessage());
            assertThrows(IOException.class, () -> folder.makeFolder(path + "/sub", TIME));
            assertThrows(IOException.class, () -> folder.incoming(path, 1, TIME, null));
            assertThrows(IOException.class, () -> folder.holds(path, 1, TIME, null));
        }
        assertEquals(List.of(), list(outside));

        Path target = Files.writeString(outside.resolve("target.txt"), "precious");
        try (Incoming in = folder.incoming("/docs/link.txt", 3, TIME, null)) {
            in.append(new ByteArrayInputStream("new".getBytes(StandardCharsets.UTF_8)), 1024, n -> {});
            // planted while the download ran:
            Files.createSymbolicLink(folder.path().resolve("docs/link.txt"), target);
            IOException e = assertThrows(IOException.class, in::commit);
            assertTrue(e.getMessage().contains("link.txt"), e.getMessage());
        }
        assertThrows(IOException.class, () -> folder.incoming("/docs/link.txt", 3, TIME, null));
        assertEquals("precious", Files.readString(target));
        assertTrue(Files.isSymbolicLink(folder.path().resolve("docs/link.txt")), "left as it was");
    }

    @Test
    void makeFolderCreatesParentsAndSetsTheTime() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        folder.makeFolder("/a/b/c", TIME);
        Path c = folder.path().resolve("a/b/c");
        assertTrue(Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS));
        assertEquals(TIME.toEpochMilli(), Files.getLastModifiedTime(c).toMillis());
        folder.makeFolder("/a/b/c", TIME); // again: nothing to do
        assertTrue(Files.isDirectory(c));
    }

    @Test
    void makeFolderMovesFilesInTheWayToVersionsInsteadOfDeleting() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        Path a = Files.writeString(folder.path().resolve("a"), "file a");
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Files.createDirectories(folder.path().resolve("x"));
        Path y = Files.writeString(folder.path().resolve("x/y"), "file y");
        Files.setLastModifiedTime(y, FileTime.from(Instant.parse("2021-06-07T08:09:10Z")));

        folder.makeFolder("/a/b", TIME); // a file at a parent
        folder.makeFolder("/x/y", TIME); // a file at the folder itself

        assertTrue(Files.isDirectory(folder.path().resolve("a/b")));
        assertTrue(Files.isDirectory(folder.path().resolve("x/y")));
        Path versions = folder.path().resolve(".cloudkeep-versions");
        assertEquals("file a", Files.readString(versions.resolve("a~2020-01-02T030405Z")));
        assertEquals("file y", Files.readString(versions.resolve("x/y~2021-06-07T080910Z")));
    }

    @Test
    void theManifestRecordsAnEncodedPathOnceAcrossRestarts() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        String path = "/bad\nfolder/lone\uD800.txt";
        String longPath = "/" + "\u20AC".repeat(100);
        folder.locate(path);
        folder.locate(path);
        folder.makeFolder("/plain/folder", TIME); // nothing encoded: not recorded
        write(folder, longPath, new byte[] {1, 2, 3});
        write(folder, path, new byte[] {4});

        BackupFolder reopened = BackupFolder.open(root, 1);
        reopened.locate(path);
        reopened.locate(longPath);
        reopened.makeFolder("/bad\nfolder", TIME);

        List<String> lines =
                Files.readAllLines(folder.path().resolve(".cloudkeep-renamed.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), String.join("\n", lines));
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals(path, first.get("path").asText(), "a lone surrogate survives the round trip");
        assertEquals(folder.storedAs(path), first.get("storedAs").asText());
        JsonNode second = json.readTree(lines.get(1));
        assertEquals(longPath, second.get("path").asText());
        String stored = second.get("storedAs").asText();
        assertEquals(Optional.empty(), SafeNames.decode(stored), "the shortened name needs the manifest");
        assertTrue(Files.isRegularFile(folder.path().resolve(stored)));
        assertEquals("/bad\nfolder", json.readTree(lines.get(2)).get("path").asText());
    }

    @Test
    void aLineCutShortByACrashDoesNotSpoilTheNextOne() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        Path manifest = folder.path().resolve(".cloudkeep-renamed.jsonl");
        Files.writeString(manifest, "{\"path\":\"/a\\n\",\"storedAs\":\"~ck~a%0A\"}\n{\"path\":\"/b\\n\",\"sto");
        folder.locate("/a\n"); // recorded already
        folder.locate("/b\n"); // its line was cut: recorded again, on a line of its own
        List<String> lines = Files.readAllLines(manifest);
        assertEquals(3, lines.size());
        assertEquals(
                "/b\n", new ObjectMapper().readTree(lines.get(2)).get("path").asText());
    }

    @Test
    void holdsComparesHashOrSizeAndTime() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        ContentHash sha = new ContentHash(ContentHash.SHA256, sha256(content));
        assertFalse(folder.holds("/h.txt", 5, TIME, sha), "nothing there");

        write(folder, "/h.txt", content);
        assertTrue(folder.holds("/h.txt", 5, TIME, null), "same size and time");
        assertTrue(folder.holds("/h.txt", 5, TIME.plusNanos(400_000), null), "to the millisecond");
        assertFalse(folder.holds("/h.txt", 5, TIME.plusMillis(1), null), "another time");
        assertFalse(folder.holds("/h.txt", 6, TIME, null), "another size");
        assertFalse(folder.holds("/h.txt", 5, null, null), "no time and no hash: cannot tell");
        assertTrue(folder.holds("/h.txt", 5, TIME.plusSeconds(60), sha), "the hash decides");
        assertTrue(folder.holds(
                "/h.txt", 5, null, new ContentHash("SHA256", sha.value().toUpperCase())));
        ContentHash wrong = new ContentHash(ContentHash.SHA256, sha256("hellp".getBytes(StandardCharsets.UTF_8)));
        assertFalse(folder.holds("/h.txt", 5, TIME, wrong), "a wrong hash wins over the time");
        assertTrue(folder.holds("/h.txt", 5, TIME, new ContentHash("dropbox-content-hash", "zz")), "unknown: time");

        folder.makeFolder("/dir", TIME);
        assertFalse(folder.holds("/dir", 4096, TIME, null), "a folder is not the file");
        assertFalse(folder.holds("/", 0, TIME, null));
    }

    static Placed write(BackupFolder folder, String path, byte[] content) throws IOException {
        try (Incoming in = folder.incoming(path, content.length, TIME, null)) {
            in.resume(0);
            in.append(new ByteArrayInputStream(content), 1024, n -> {});
            return in.commit();
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> walk(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.map(p -> folder.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> list(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theManifestIsNeverFollowedThroughALink() throws IOException {
        BackupFolder folder = BackupFolder.open(root, 1);
        Path victim = Files.writeString(outside.resolve("victim"), "keep");
        Files.createSymbolicLink(folder.path().resolve(".cloudkeep-renamed.jsonl"), victim);
        assertThrows(IOException.class, () -> folder.locate("/a\n"));
        assertEquals("keep", Files.readString(victim));
    }
}
