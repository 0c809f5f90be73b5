package org.cloudkeep.demo.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./cloudkeep demo}, run as a user runs it: in an empty folder, no flags, no configuration. */
class DemoTest {

    static final Path LAUNCHER = Path.of(System.getProperty("cloudkeep.launcher"));
    static final Duration TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path temp;

    @Test
    void backsUpVerifiesRefetchesOnlyTheChangesAndExitsZero() throws Exception {
        Path output = temp.resolve("demo-output.txt");
        Process demo = new ProcessBuilder("bash", LAUNCHER.toString(), "demo")
                .directory(temp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!demo.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            // SIGTERM first: the demo's shutdown hook stops both runtimes.
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            throw new AssertionError("./cloudkeep demo did not end within " + TIMEOUT + ":\n" + read(output));
        }
        String printed = read(output);
        assertEquals(0, demo.exitValue(), printed);
        assertTrue(printed.contains("Work folder: " + temp.resolve("data/demo")), printed);
        assertTrue(printed.contains("   verified: "), "the byte-for-byte verification line:\n" + printed);
        assertTrue(
                printed.contains("fetched again in ") && printed.contains("only 8 files, the 3 changed and the 5 new"),
                "the re-fetch line:\n" + printed);
        assertTrue(printed.contains("verified again: "), printed);
        assertTrue(printed.contains("Demo finished"), printed);
        assertTrue(!printed.contains("demo failed"), printed);

        Path backup = temp.resolve("data/demo/backup");
        assertTrue(Files.isDirectory(backup), "the backup folder exists: " + backup);
        long files;
        try (Stream<Path> walk = Files.walk(backup)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        // 120 photos + 250 documents + 5 new, the 3 earlier versions and the manifest of encoded names.
        assertTrue(files >= 370 + 5 + 3, files + " files in " + backup + "\n" + printed);
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "(no output)";
    }
}
