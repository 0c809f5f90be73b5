package com.example.cloudkeep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;

/** One connected folder. Pages hold up to 1,000 names in sorted order; the token is the last name. */
final class ExampleSession implements ProviderSession {

    private static final int PAGE = 1000;

    private final Path root;

    ExampleSession(Path root) {
        this.root = root;
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        Path dir = resolve(folder);
        // Only the names of one page are kept: the smallest PAGE names after the token.
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if ((pageToken == null || name.compareTo(pageToken) > 0) && EntryPaths.isValidName(name)) {
                    names.add(name);
                    if (names.size() > PAGE) {
                        names.pollLast();
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new NotFoundException("no folder at " + EntryPaths.printable(folder));
        } catch (IOException e) {
            throw new TransientProviderException("listing " + EntryPaths.printable(folder) + " failed: " + e, e);
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : names) {
            Entry entry = describe(EntryPaths.child(folder, name), dir.resolve(name));
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new EntryPage(entries, names.size() == PAGE ? names.last() : null);
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        Entry entry = describe(EntryPaths.normalize(path), resolve(path));
        if (entry == null) {
            throw new NotFoundException("nothing at " + EntryPaths.printable(path));
        }
        return entry;
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        try {
            SeekableByteChannel channel =
                    Files.newByteChannel(resolve(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no file at " + EntryPaths.printable(path));
        } catch (IOException e) {
            throw new TransientProviderException("opening " + EntryPaths.printable(path) + " failed: " + e, e);
        }
    }

    @Override
    public void close() {}

    /** The local file behind a provider path; EntryPaths refuses any path that could climb out. */
    private Path resolve(String path) {
        Path file = root;
        for (String name : EntryPaths.names(path)) {
            file = file.resolve(name);
        }
        return file;
    }

    /** The entry, or null for what is not there or is neither a file nor a folder (links are not followed). */
    private static Entry describe(String path, Path file) throws ProviderException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                return Entry.folder(path, a.lastModifiedTime().toInstant());
            }
            return a.isRegularFile() ? Entry.file(path, a.size(), a.lastModifiedTime().toInstant(), null) : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new TransientProviderException("reading " + EntryPaths.printable(path) + " failed: " + e, e);
        }
    }
}
