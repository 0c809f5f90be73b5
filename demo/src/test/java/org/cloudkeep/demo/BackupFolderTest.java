package org.cloudkeep.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFolderTest {

    @TempDir
    Path temp;

    @Test
    void storedPathsComeFromTheManifestNameByName() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("backup/2"));
        Files.writeString(
                folder.resolve(BackupFolder.MANIFEST),
                """
                {"path":"/tab\\there.txt","storedAs":"~ck~tab%09here.txt"}
                {"path":"/.cloudkeep-versions","storedAs":"~ck~.cloudkeep-versions"}
                {"path":"/.cloudkeep-versions/keep-me.txt","storedAs":"~ck~.cloudkeep-versions/keep-me.txt"}
                {"path":"/a/new\\nline","storedAs":"a/~ck~new%0Aline"}

                """,
                StandardCharsets.UTF_8);
        BackupFolder backup = BackupFolder.read(folder);
        assertEquals(4, backup.renamedCount());
        assertEquals("~ck~tab%09here.txt", backup.storedAs("/tab\there.txt"));
        assertEquals("~ck~.cloudkeep-versions/keep-me.txt", backup.storedAs("/.cloudkeep-versions/keep-me.txt"));
        assertEquals(
                "a/~ck~new%0Aline/inside.txt", backup.storedAs("/a/new\nline/inside.txt"), "inside a listed folder");
        assertEquals("plain/name.txt", backup.storedAs("/plain/name.txt"));
    }

    @Test
    void verifiesByteForByteAndNamesWhatDiffers() throws Exception {
        Path source = temp.resolve("source");
        Path folder = temp.resolve("backup/1");
        write(source.resolve("same.txt"), "same");
        write(source.resolve("dir/tab\there.txt"), "tab");
        write(folder.resolve("same.txt"), "same");
        write(folder.resolve("dir/~ck~tab%09here.txt"), "tab");
        Files.writeString(
                folder.resolve(BackupFolder.MANIFEST),
                "{\"path\":\"/dir/tab\\there.txt\",\"storedAs\":\"dir/~ck~tab%09here.txt\"}\n");
        BackupFolder.Verified verified = BackupFolder.read(folder).verify(source);
        assertEquals(new BackupFolder.Verified(2, 7, 1), verified);

        write(source.resolve("other.txt"), "other");
        write(folder.resolve("same.txt"), "SAME");
        DemoFailure failure =
                assertThrows(DemoFailure.class, () -> BackupFolder.read(folder).verify(source));
        assertTrue(failure.getMessage().contains("\"/other.txt\" is missing"), failure.getMessage());
        assertTrue(failure.getMessage().contains("\"/same.txt\" differs"), failure.getMessage());
    }

    @Test
    void aSourceFileInsideTheDevicesOwnFolderIsAFailure() throws Exception {
        Path source = temp.resolve("source");
        Path folder = temp.resolve("backup/1");
        write(source.resolve(".cloudkeep-versions/keep-me.txt"), "x");
        write(folder.resolve(".cloudkeep-versions/keep-me.txt"), "x");
        DemoFailure failure =
                assertThrows(DemoFailure.class, () -> BackupFolder.read(folder).verify(source));
        assertTrue(failure.getMessage().contains("inside the device's own"), failure.getMessage());
    }

    @Test
    void findsEarlierVersionsByStampedName() throws Exception {
        Path folder = temp.resolve("backup/1");
        write(folder.resolve(".cloudkeep-versions/a/b.txt~2026-05-05T010203Z"), "old");
        write(folder.resolve(".cloudkeep-versions/a/b.txt~2026-05-05T010203Z-2"), "older");
        write(folder.resolve(".cloudkeep-versions/a/b.txt~nope"), "not a version");
        write(folder.resolve(".cloudkeep-versions/a/b.txt.bak~2026-05-05T010203Z"), "another file");
        List<Path> versions = BackupFolder.read(folder).versions("/a/b.txt");
        assertEquals(
                List.of("b.txt~2026-05-05T010203Z", "b.txt~2026-05-05T010203Z-2"),
                versions.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of(), BackupFolder.read(folder).versions("/none.txt"));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
