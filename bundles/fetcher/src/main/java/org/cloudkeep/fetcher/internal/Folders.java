package org.cloudkeep.fetcher.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.backupfolder.BackupFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each container's folder under the backup root, opened once. */
final class Folders {

    private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

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
            if (raced == null && folder.portableNames()) {
                LOG.info(
                        "The disk under {} refuses names Windows refuses (FAT, exFAT, NTFS): names with"
                                + " \\ : * ? \" < > |, a trailing dot or space, or a device name (CON, NUL, ...) are stored"
                                + " encoded and recorded in .cloudkeep-renamed.jsonl",
                        folder.path());
            }
            folder = raced == null ? folder : raced;
        }
        return folder;
    }
}
