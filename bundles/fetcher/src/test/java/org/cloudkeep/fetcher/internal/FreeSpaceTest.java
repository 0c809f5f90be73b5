package org.cloudkeep.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreeSpaceTest {

    /** Other processes write to the same disk meanwhile: the readings need only be this close. */
    private static final long SLACK = 512L << 20;

    @TempDir
    Path temp;

    @Test
    void aBackupRootNotMadeYetCountsOnTheDiskOfItsNearestFolderAndThenOnItsOwn() throws IOException {
        Path root = temp.resolve("not/yet/there");
        FreeSpace free = new FreeSpace(root, Optional.empty());
        assertClose(Files.getFileStore(temp).getUsableSpace(), free.read());
        Files.createDirectories(root);
        assertClose(Files.getFileStore(root).getUsableSpace(), free.read());
        assertClose(Files.getFileStore(root).getUsableSpace(), free.read()); // asked again: the same disk
    }

    @Test
    void aSimulatedNumberWinsAndNonsenseInItFallsBackToTheDisk() throws IOException {
        Path file = temp.resolve("free-bytes");
        Files.writeString(file, " 123456\n");
        FreeSpace free = new FreeSpace(temp, Optional.of(file));
        assertEquals(123456, free.read());
        Files.writeString(file, "-5");
        assertEquals(0, free.read(), "a negative simulation is no space at all");
        Files.writeString(file, "plenty");
        assertClose(Files.getFileStore(temp).getUsableSpace(), free.read());
    }

    @Test
    void noPartOfTheRootExistingIsAnError() {
        FreeSpace free = new FreeSpace(Path.of("relative-and-missing/root"), Optional.empty());
        assertThrows(IOException.class, free::read);
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(actual > 0, "free space " + actual);
        assertTrue(Math.abs(expected - actual) < SLACK, "expected about " + expected + ", read " + actual);
    }
}
