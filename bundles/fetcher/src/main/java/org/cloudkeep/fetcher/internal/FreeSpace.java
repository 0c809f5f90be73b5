package org.cloudkeep.fetcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The free space of the backup disk, or — for tests and demonstrations — a number read from a file. */
final class FreeSpace {

    private static final Logger LOG = LoggerFactory.getLogger(FreeSpace.class);

    private final Path backupRoot;
    private final Optional<Path> simulated;

    // Finding a path's file store reads the whole mount table (/proc/mounts on Linux) and this is
    // asked once per file: it is looked up again only when the nearest existing folder changes.
    private Path storeOf;
    private FileStore store;

    FreeSpace(Path backupRoot, Optional<Path> simulated) {
        this.backupRoot = backupRoot;
        this.simulated = simulated;
    }

    long read() throws IOException {
        if (simulated.isPresent()) {
            Path file = simulated.get();
            try {
                return Math.max(
                        0,
                        Long.parseLong(
                                Files.readString(file, StandardCharsets.UTF_8).strip()));
            } catch (IOException | NumberFormatException e) {
                LOG.warn("The free-space file {} holds no number of bytes ({}); using the disk's free space", file, e);
            }
        }
        Path existing = backupRoot;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no part of the backup root " + backupRoot + " exists");
        }
        return store(existing).getUsableSpace();
    }

    private synchronized FileStore store(Path existing) throws IOException {
        if (!existing.equals(storeOf)) {
            store = Files.getFileStore(existing);
            storeOf = existing;
        }
        return store;
    }
}
