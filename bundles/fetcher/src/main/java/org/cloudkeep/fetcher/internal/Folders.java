package org.cloudkeep.fetcher.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.backupfolder.BackupFolder;

/** Each container's folder under the backup root, opened once. */
final class Folders {

    private final Path backupRoot;
    private final Map<Long, BackupFolder> open = new ConcurrentHashMap<>();

    Folders(Path backupRoot) {
        this.backupRoot = backupRoot;
    }

    Path backupRoot() {
        return backupRoot;
    }

    BackupFolder of(long containerId) throws IOException {
        BackupFolder folder = open.get(containerId);
        if (folder == null) {
            folder = BackupFolder.open(backupRoot, containerId);
            BackupFolder raced = open.putIfAbsent(containerId, folder);
            folder = raced == null ? folder : raced;
        }
        return folder;
    }
}
