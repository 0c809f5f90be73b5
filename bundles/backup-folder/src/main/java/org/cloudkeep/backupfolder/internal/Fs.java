package org.cloudkeep.backupfolder.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File-system steps that never follow a symbolic link. */
public final class Fs {

    private Fs() {}

    /** The entry's own attributes (a link is reported as a link), or null when nothing is there. */
    public static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** We never create links, so one inside the backup folder was put there by someone else. */
    public static IOException linkRefused(Path link) {
        return new IOException("refusing " + link + ": it is a symbolic link inside the backup folder");
    }

    /** Makes a rename in the folder durable; some file systems cannot sync a folder, which is fine. */
    public static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here: the rename is still atomic, only its durability is the OS's
        }
    }
}
