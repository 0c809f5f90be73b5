package org.cloudkeep.backupfolder;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;
import org.cloudkeep.backupfolder.internal.Digests;
import org.cloudkeep.backupfolder.internal.Fs;
import org.cloudkeep.backupfolder.internal.Manifest;
import org.cloudkeep.backupfolder.internal.Target;
import org.cloudkeep.backupfolder.internal.Utf8;
import org.cloudkeep.backupfolder.internal.Versions;

/**
 * One container's folder under the backup root. Thread-safe; concurrent calls must be for different
 * provider paths. Use one instance per container folder in a process: the lock that orders moves
 * and the manifest's memory of recorded paths are per instance.
 */
public final class BackupFolder {

    static final String STAGING_PREFIX = ".cloudkeep-part-";
    private static final int STAGING_HASH_CHARS = 32;
    private static final int MAX_ATTEMPTS = 10;

    private final Path path;
    private final long containerId;
    private final Manifest manifest;
    private final Versions versions;
    /** Held while entries are created or moved, so two threads never move the same thing. */
    private final Object structure = new Object();

    /** Whether the disk refuses names Windows refuses (FAT, exFAT, NTFS): such names are then encoded. */
    private final boolean portable;

    private BackupFolder(Path path, long containerId, boolean portable) {
        this.path = path;
        this.containerId = containerId;
        this.portable = portable;
        this.manifest = new Manifest(path);
        this.versions = new Versions(path);
    }

    /**
     * Opens {@code <backupRoot>/<containerId>} (decimal id), creating both when missing. Refuses
     * (IOException with a clear message) a backup root or container folder that is a symbolic link
     * or not a folder.
     */
    public static BackupFolder open(Path backupRoot, long containerId) throws IOException {
        if (containerId < 0) {
            throw new IllegalArgumentException("a container id is not negative: " + containerId);
        }
        Path root = backupRoot.toAbsolutePath().normalize();
        realFolder(root, "backup root");
        Path folder = root.resolve(Long.toString(containerId));
        realFolder(folder, "container folder");
        return new BackupFolder(folder, containerId, !acceptsWindowsForbiddenNames(folder));
    }

    /** The same with the portable rules on or off, whatever the disk: for tests. */
    static BackupFolder open(Path backupRoot, long containerId, boolean portable) throws IOException {
        BackupFolder probed = open(backupRoot, containerId);
        return new BackupFolder(probed.path, containerId, portable);
    }

    /** Whether a file with {@code : * ? " < > |} in its name can be made here (not on FAT or NTFS). */
    private static boolean acceptsWindowsForbiddenNames(Path folder) {
        Path probe = folder.resolve(".cloudkeep-probe-a:b*c?d\"e<f>g|h");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    /** Whether names are stored by the FAT and NTFS rules here (see {@link SafeNames}). */
    public boolean portableNames() {
        return portable;
    }

    private static void realFolder(Path folder, String what) throws IOException {
        BasicFileAttributes attributes = Fs.attributes(folder);
        if (attributes == null) {
            try {
                Files.createDirectories(folder);
            } catch (FileAlreadyExistsException e) {
                // made meanwhile, or not a folder: looked at below
            }
            attributes = Fs.attributes(folder);
        }
        if (attributes == null) {
            throw new IOException("the " + what + " " + folder + " could not be created");
        }
        if (attributes.isSymbolicLink()) {
            throw new IOException("refusing the " + what + " " + folder + ": it is a symbolic link");
        }
        if (!attributes.isDirectory()) {
            throw new IOException("refusing the " + what + " " + folder + ": it is not a folder");
        }
    }

    /** The container folder (absolute, normalized). */
    public Path path() {
        return path;
    }

    public long containerId() {
        return containerId;
    }

    /** Relative stored path, '/'-separated, each name made safe by SafeNames (no IO). */
    public String storedAs(String providerPath) {
        return String.join("/", storedNames(providerPath));
    }

    /**
     * The absolute file for a provider path; always inside path(). Records the entry in the
     * manifest when any of its names was encoded.
     */
    public Path locate(String providerPath) throws IOException {
        Target target = target(providerPath);
        inspect(target.file());
        record(target);
        return target.file();
    }

    /**
     * A folder entry: creates it (and its parents). A file (or anything not a folder) in the way,
     * at it or at a parent, is first moved to the versions area — never deleted.
     */
    public void makeFolder(String providerPath, Instant modified) throws IOException {
        Target target = target(providerPath);
        folders(target, target.storedNames().size());
        record(target); // after: a folder is made again on the next round, unlike a placed file
        if (modified != null && !target.isRoot()) {
            Files.setLastModifiedTime(target.file(), FileTime.from(modified));
        }
    }

    /**
     * True when a regular file is already at the entry's place with this size and this content:
     * equal hash when one is given and its algorithm is known (reads the file), else equal size and
     * last-modified time to the millisecond. Used to skip downloads after a crash between placing
     * and reporting.
     */
    public boolean holds(String providerPath, long size, Instant modified, ContentHash hashOrNull) throws IOException {
        return holds(providerPath, size, modified, hashOrNull, ContentHasher::standard);
    }

    /**
     * As {@link #holds(String, long, Instant, ContentHash)}, with the hashers of the provider that
     * listed the entry ({@code CloudDriveProvider::hasher}), so that its own algorithms are checked.
     */
    public boolean holds(String providerPath, long size, Instant modified, ContentHash hashOrNull, Hashers hashers)
            throws IOException {
        Target target = target(providerPath);
        BasicFileAttributes attributes = inspect(target.file());
        return !target.isRoot() && identical(target.file(), attributes, size, modified, hashOrNull, hashers);
    }

    /**
     * Starts or resumes one file's download. The staging file is in the final file's folder, named
     * ".cloudkeep-part-" + the first 32 hex chars of SHA-256(providerPath UTF-8), so a restarted
     * process finds it again. Parent folders are created as in makeFolder.
     */
    public Incoming incoming(String providerPath, long size, Instant modified, ContentHash hashOrNull)
            throws IOException {
        return incoming(providerPath, size, modified, hashOrNull, ContentHasher::standard);
    }

    /**
     * As {@link #incoming(String, long, Instant, ContentHash)}, verifying with the hashers of the
     * provider that listed the entry ({@code CloudDriveProvider::hasher}).
     */
    public Incoming incoming(String providerPath, long size, Instant modified, ContentHash hashOrNull, Hashers hashers)
            throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("a file's size is not negative: " + size);
        }
        Target target = target(providerPath);
        if (target.isRoot()) {
            throw new IOException("the container folder itself is not a file: " + providerPath);
        }
        inspect(target.file());
        folders(target, target.storedNames().size() - 1);
        return new Incoming(this, target, staging(target), size, modified, hashOrNull, hashers);
    }

    /** Named after the path, so that a restarted process finds the same file again. */
    private static Path staging(Target target) {
        String key = Digests.sha256Hex(Utf8.bytes(target.providerPath()));
        return target.file().resolveSibling(STAGING_PREFIX + key.substring(0, STAGING_HASH_CHARS));
    }

    /**
     * Deletes the staging file of a download that will not be finished (its group was dropped),
     * if there is one. Creates nothing.
     */
    public void discardIncoming(String providerPath) throws IOException {
        Target target = target(providerPath);
        if (target.isRoot()) {
            return;
        }
        Path staging = staging(target);
        BasicFileAttributes attributes = inspect(staging);
        if (attributes != null && attributes.isRegularFile()) {
            Files.deleteIfExists(staging);
        }
    }

    /** Called by {@link Incoming#commit()} once the staging file is verified, forced and dated. */
    Placed place(
            Target target,
            Path staging,
            long size,
            Instant modified,
            ContentHash hash,
            Hashers hashers,
            String verifiedWith)
            throws IOException {
        BasicFileAttributes existing = inspect(target.file());
        record(target); // before the rename: a crash after it must not leave an unrecorded name
        if (identical(target.file(), existing, size, modified, hash, hashers)) {
            Files.delete(staging);
            return placed(target, null, true, verifiedWith);
        }
        Path previous = null;
        synchronized (structure) {
            BasicFileAttributes there = Fs.attributes(target.file());
            if (there != null) {
                if (there.isSymbolicLink()) {
                    throw Fs.linkRefused(target.file());
                }
                previous = versions.keep(target.file(), target.storedAs(), there.lastModifiedTime());
            }
            Files.move(staging, target.file(), StandardCopyOption.ATOMIC_MOVE);
        }
        Fs.forceFolder(target.file().getParent());
        return placed(target, previous, false, verifiedWith);
    }

    private static Placed placed(Target target, Path previous, boolean unchanged, String verifiedWith) {
        return new Placed(
                target.providerPath(),
                target.file(),
                target.storedAs(),
                target.renamed(),
                previous,
                unchanged,
                verifiedWith);
    }

    private static boolean identical(
            Path file, BasicFileAttributes attributes, long size, Instant modified, ContentHash hash, Hashers hashers)
            throws IOException {
        if (attributes == null || !attributes.isRegularFile() || attributes.size() != size) {
            return false;
        }
        ContentHasher hasher = hash == null ? null : hashers.hasher(hash.algorithm());
        if (hasher != null) {
            return Digests.fileMatches(file, hash, hasher);
        }
        return modified != null && attributes.lastModifiedTime().toMillis() == modified.toEpochMilli();
    }

    /** Makes the first {@code count} names of the target folders, moving whatever is in the way. */
    private void folders(Target target, int count) throws IOException {
        synchronized (structure) {
            Path folder = path;
            refuseLink(folder);
            List<String> names = target.storedNames();
            for (int i = 0; i < count; i++) {
                folder = folder.resolve(names.get(i));
                folder(folder, String.join("/", names.subList(0, i + 1)));
            }
        }
    }

    private void folder(Path folder, String storedAs) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BasicFileAttributes attributes = Fs.attributes(folder);
            if (attributes == null) {
                try {
                    Files.createDirectory(folder);
                    return;
                } catch (FileAlreadyExistsException e) {
                    continue; // someone outside this process was quicker: look again
                }
            }
            if (attributes.isSymbolicLink()) {
                throw Fs.linkRefused(folder);
            }
            if (attributes.isDirectory()) {
                return;
            }
            versions.keep(folder, storedAs, attributes.lastModifiedTime());
        }
        throw new IOException("cannot make the folder " + folder + ": it keeps changing");
    }

    /**
     * Refuses a link at the container folder or at any existing entry on the way to the file, and
     * returns the file's own attributes: null when it, or a folder above it, is not there.
     */
    private BasicFileAttributes inspect(Path file) throws IOException {
        refuseLink(path);
        Path current = path;
        BasicFileAttributes attributes = null;
        for (Path name : path.relativize(file)) {
            if (name.toString().isEmpty()) {
                break; // the container folder itself
            }
            if (attributes != null && !attributes.isDirectory()) {
                return null; // a file where a folder should be: nothing below it exists
            }
            current = current.resolve(name);
            attributes = Fs.attributes(current);
            if (attributes == null) {
                return null;
            }
            if (attributes.isSymbolicLink()) {
                throw Fs.linkRefused(current);
            }
        }
        return attributes;
    }

    private void refuseLink(Path folder) throws IOException {
        BasicFileAttributes attributes = Fs.attributes(folder);
        if (attributes == null || attributes.isSymbolicLink() || !attributes.isDirectory()) {
            throw new IOException("the container folder " + folder + " is no longer a folder");
        }
    }

    private void record(Target target) throws IOException {
        if (target.renamed()) {
            manifest.record(target.providerPath(), target.storedAs());
        }
    }

    private Target target(String providerPath) throws IOException {
        List<String> names = names(providerPath);
        List<String> stored = new ArrayList<>(names.size());
        boolean renamed = false;
        Path file = path;
        for (String name : names) {
            String safe = SafeNames.encode(name, portable);
            renamed |= !safe.equals(name);
            stored.add(safe);
            try {
                file = file.resolve(safe);
            } catch (InvalidPathException e) {
                throw new IOException("cannot store " + providerPath + ": " + e.getMessage(), e);
            }
        }
        // Safe names cannot climb, but this is the one check everything else relies on.
        if (!file.normalize().equals(file) || !file.startsWith(path)) {
            throw new IOException("refusing " + providerPath + ": it resolves outside " + path);
        }
        String canonical = providerPath.startsWith("/") ? providerPath : "/" + providerPath;
        return new Target(canonical, List.copyOf(stored), String.join("/", stored), renamed, file);
    }

    private List<String> storedNames(String providerPath) {
        return names(providerPath).stream()
                .map(name -> SafeNames.encode(name, portable))
                .toList();
    }

    /** A leading '/' is dropped; "" and "/" are the container folder itself. */
    private static List<String> names(String providerPath) {
        Objects.requireNonNull(providerPath, "providerPath");
        String rest = providerPath.startsWith("/") ? providerPath.substring(1) : providerPath;
        return rest.isEmpty() ? List.of() : List.of(rest.split("/", -1));
    }
}
