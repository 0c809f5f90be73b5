package org.cloudkeep.provider.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;

/**
 * A session on one local folder.
 *
 * <p>It never reads outside that folder: a provider path is checked by {@link EntryPaths#normalize}, then resolved
 * name by name, and each step's real path (symbolic links followed) must still lie inside the real root. Listings
 * leave out what could not be read that way: links that point outside the root, dangling links, links back to a
 * folder on the way to the one listed (they would make the tree endless), devices, pipes and sockets.
 */
final class LocalFolderSession implements ProviderSession {

    private final Path root;
    private final int pageSize;

    /**
     * @param realRoot the served folder, already resolved with {@link Path#toRealPath}
     * @param pageSize the most entries a page of a listing holds
     */
    LocalFolderSession(Path realRoot, int pageSize) {
        this.root = Objects.requireNonNull(realRoot, "realRoot");
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1: " + pageSize);
        }
        this.pageSize = pageSize;
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        List<Path> chain = resolve(folder);
        Path dir = chain.get(chain.size() - 1);
        if (!attributes(dir, folder).isDirectory()) {
            throw new PermanentProviderException(quote(folder) + " is not a folder; only folders can be listed");
        }
        if (pageToken != null && !EntryPaths.isValidName(pageToken)) {
            throw new PermanentProviderException(
                    "invalid page token " + quote(pageToken) + ": pass the token of the page before, or null");
        }
        Set<Path> onTheWay = new HashSet<>(chain);
        List<Entry> entries = new ArrayList<>();
        for (String name : namesAfter(dir, folder, pageToken)) {
            String path = EntryPaths.child(folder, name);
            Target target = target(dir.resolve(name), path, onTheWay);
            if (target == null) {
                continue;
            }
            if (entries.size() == pageSize) {
                // Another entry follows this full page; the next page starts after the last name of this one.
                return new EntryPage(entries, entries.get(entries.size() - 1).name());
            }
            Entry entry = entry(path, target, true);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new EntryPage(entries, null);
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        List<Path> chain = resolve(path);
        Path real = chain.get(chain.size() - 1);
        BasicFileAttributes attributes = attributes(real, path);
        if (attributes.isOther()) {
            throw new PermanentProviderException(quote(path) + " is neither a file nor a folder (a device, pipe or "
                    + "socket); it has no content to back up");
        }
        return entry(path, new Target(real, attributes), false);
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        List<Path> chain = resolve(path);
        Path real = chain.get(chain.size() - 1);
        BasicFileAttributes attributes = attributes(real, path);
        if (attributes.isDirectory()) {
            throw new PermanentProviderException(quote(path) + " is a folder; only files can be opened");
        }
        if (!attributes.isRegularFile()) {
            throw new PermanentProviderException(
                    quote(path) + " is neither a file nor a folder (a device, pipe or socket); it cannot be opened");
        }
        if (offset < 0) {
            throw new PermanentProviderException("cannot open " + quote(path) + " at negative offset " + offset);
        }
        FileChannel channel;
        try {
            // The real path holds no link; NOFOLLOW_LINKS refuses one put in its place since it was resolved.
            channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw failure(path, e);
        }
        boolean handedOver = false;
        try {
            long size = channel.size();
            if (offset > size) {
                throw new PermanentProviderException(
                        "cannot open " + quote(path) + " at offset " + offset + ": it has only " + size + " bytes");
            }
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            handedOver = true;
            return in;
        } catch (IOException e) {
            throw failure(path, e);
        } finally {
            if (!handedOver) {
                closeQuietly(channel);
            }
        }
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    /**
     * The real paths of the root, of each folder on the way to a provider path, and of the path itself, in that
     * order.
     */
    private List<Path> resolve(String path) throws ProviderException {
        String[] names = names(path);
        List<Path> chain = new ArrayList<>(names.length + 1);
        Path current = root;
        chain.add(current);
        for (String name : names) {
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotFoundException("nothing at " + quote(path) + ": " + quote(pathOf(chain.size() - 1, names))
                        + " is not a folder");
            }
            Path real;
            try {
                real = current.resolve(name).toRealPath();
            } catch (InvalidPathException e) {
                throw new PermanentProviderException(
                        "the name " + quote(name) + " in " + quote(path) + " cannot be a file name on this system: "
                                + e.getReason(),
                        e);
            } catch (IOException e) {
                throw failure(path, e);
            }
            // Checked at every step, so that no link may even pass through a folder outside the root.
            if (!real.startsWith(root)) {
                throw new PermanentProviderException(quote(pathOf(chain.size(), names))
                        + " is a link that points outside the served folder; it is not followed");
            }
            current = real;
            chain.add(current);
        }
        return chain;
    }

    /** The names of a folder's children that sort after the page token, sorted; only names can be held for all. */
    private static List<String> namesAfter(Path dir, String folder, String pageToken) throws ProviderException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if ((pageToken == null || name.compareTo(pageToken) > 0) && addressable(dir, child, name, folder)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw failure(folder, e);
        } catch (DirectoryIteratorException e) {
            throw failure(folder, e.getCause());
        }
        names.sort(null);
        return names;
    }

    /**
     * Whether a child can be found again by its name. It cannot when its name is not a valid provider name, or when
     * its bytes are not valid in the file-name encoding (the name then decodes to something else).
     *
     * @throws PermanentProviderException when names are lost because the runtime does not decode them as UTF-8: the
     *     whole folder could not be backed up faithfully, so say so rather than leave files out silently
     */
    private static boolean addressable(Path dir, Path child, String name, String folder)
            throws PermanentProviderException {
        if (!EntryPaths.isValidName(name)) {
            return false;
        }
        boolean same;
        try {
            same = dir.resolve(name).equals(child);
        } catch (InvalidPathException e) {
            same = false;
        }
        String encoding = System.getProperty("sun.jnu.encoding");
        if (!same && encoding != null && !encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
            throw new PermanentProviderException("cannot list " + quote(folder) + ": this Java runtime reads file "
                    + "names as " + encoding + ", so the name " + quote(name) + " cannot be read back; start "
                    + "CloudKeep with a UTF-8 locale, for instance LC_ALL=C.UTF-8");
        }
        return same;
    }

    /** What a child of a listed folder stands for, or {@code null} when the listing leaves it out. */
    private Target target(Path child, String path, Set<Path> onTheWay) throws ProviderException {
        Path real;
        try {
            real = child.toRealPath();
        } catch (NoSuchFileException e) {
            return null; // deleted since the folder was read, or a dangling link
        } catch (IOException e) {
            if (Files.isSymbolicLink(child)) {
                return null; // a loop of links, or one through a folder we may not enter
            }
            throw failure(path, e);
        }
        if (!real.startsWith(root)) {
            return null; // never followed out of the served folder
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure(path, e);
        }
        if (attributes.isOther()) {
            return null; // no content to back up, and reading a pipe would block
        }
        if (attributes.isDirectory() && onTheWay.contains(real)) {
            return null; // a link back to a folder on the way here: following it would never end
        }
        return new Target(real, attributes);
    }

    /**
     * The entry for a resolved path.
     *
     * @param listing whether a file that vanishes meanwhile is left out ({@code null}) rather than not found
     */
    private static Entry entry(String path, Target target, boolean listing) throws ProviderException {
        Instant modified = target.attributes().lastModifiedTime().toInstant();
        if (target.attributes().isDirectory()) {
            return Entry.folder(path, modified);
        }
        try {
            Sha256.Digest digest = Sha256.of(target.real());
            // The size is what was hashed, so size and hash agree even if the file grew meanwhile.
            return Entry.file(path, digest.size(), modified, new ContentHash(ContentHash.SHA256, digest.hex()));
        } catch (NoSuchFileException e) {
            if (listing) {
                return null;
            }
            throw failure(path, e);
        } catch (AccessDeniedException e) {
            // Listed without a hash, so that the rest of the folder is still backed up; open() will say why.
            return Entry.file(path, target.attributes().size(), modified, null);
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    private static BasicFileAttributes attributes(Path real, String path) throws ProviderException {
        try {
            return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    private static String[] names(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("no path given; the root is \"/\"");
        }
        try {
            return EntryPaths.names(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }

    /** The provider path of the first {@code count} names. */
    private static String pathOf(int count, String[] names) {
        return count == 0
                ? EntryPaths.ROOT
                : "/" + String.join("/", List.of(names).subList(0, count));
    }

    /** The provider exception for an I/O failure on a path, typed by whether retrying can help. */
    private static ProviderException failure(String path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new NotFoundException("nothing at " + quote(path), e);
        }
        if (e instanceof AccessDeniedException) {
            return new PermanentProviderException(
                    "permission denied on " + quote(path) + "; let the CloudKeep service read it", e);
        }
        return new TransientProviderException("cannot read " + quote(path) + ": " + e.getMessage(), e);
    }

    private static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Only read from: closing it cannot lose anything.
        }
    }

    /** A child that the listing keeps: its real path and what it is. */
    private record Target(Path real, BasicFileAttributes attributes) {}
}
