package org.cloudkeep.itests.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks at a container folder every few milliseconds while a backup runs and records any file
 * under a final name (not a staging file, not a kept version) whose size differs from the source
 * file's: that would be a partial file visible to the user.
 */
final class FinalNameWatcher implements AutoCloseable {

    private final Path source;
    private final Path folder;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int looks;

    FinalNameWatcher(Path source, Path folder) {
        this.source = source;
        this.folder = folder;
        this.thread = new Thread(this::watch, "final-name-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (running && System.nanoTime() < deadline) {
            if (Files.isDirectory(folder)) {
                look();
                looks++;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void look() {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String relative = folder.relativize(file).toString();
                if (file.getFileName().toString().startsWith(".cloudkeep") || relative.startsWith(".cloudkeep")) {
                    return;
                }
                try {
                    long expected = Files.size(source.resolve(relative));
                    long actual = Files.size(file);
                    if (actual != expected) {
                        violations.add(relative + ": " + actual + " of " + expected + " bytes");
                    }
                } catch (NoSuchFileException gone) {
                    // renamed or moved between the walk and the look
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the tree changed under the walk; look again
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int looks() {
        return looks;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
