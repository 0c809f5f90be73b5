package org.cloudkeep.backupfolder.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The versions area, {@code .cloudkeep-versions/<stored parent>/<stored name>~<modified>}: where an
 * entry goes instead of being deleted when something else must take its place.
 */
public final class Versions {

    public static final String FOLDER = ".cloudkeep-versions";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_BYTES = 255;
    private static final int MAX_ATTEMPTS = 1000;

    private final Path root;

    public Versions(Path containerFolder) {
        this.root = containerFolder.resolve(FOLDER);
    }

    /**
     * Moves the entry (a file or a whole folder) into the versions area and returns where it went.
     * The caller holds the folder's structure lock, so no one else moves things meanwhile.
     */
    public Path keep(Path entry, String storedAs, FileTime modified) throws IOException {
        int slash = storedAs.lastIndexOf('/');
        Path folder = folder(root);
        if (slash > 0) {
            for (String name : storedAs.substring(0, slash).split("/")) {
                folder = folder(folder.resolve(name));
            }
        }
        String name = storedAs.substring(slash + 1);
        String stamp = "~" + STAMP.format(modified.toInstant());
        for (int n = 1; n <= MAX_ATTEMPTS; n++) {
            String suffix = n == 1 ? stamp : stamp + "-" + n;
            Path target = folder.resolve(Utf8.prefix(name, MAX_BYTES - Utf8.length(suffix)) + suffix);
            try {
                // Without REPLACE_EXISTING: an older version under that name stays where it is.
                Files.move(entry, target);
                Fs.forceFolder(folder);
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            }
        }
        throw new IOException("cannot keep the old version of " + entry + ": " + MAX_ATTEMPTS
                + " versions with its date already exist in " + folder);
    }

    private static Path folder(Path folder) throws IOException {
        BasicFileAttributes attributes = Fs.attributes(folder);
        if (attributes == null) {
            Files.createDirectory(folder);
        } else if (attributes.isSymbolicLink()) {
            throw Fs.linkRefused(folder);
        } else if (!attributes.isDirectory()) {
            throw new IOException("cannot keep old versions in " + folder + ": it is not a folder");
        }
        return folder;
    }
}
