package org.cloudkeep.provider.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cloudkeep.api.EntryPaths;

/** A {@link FixtureWriter} for servers that serve a local folder (WebDAV, SFTP, the local provider). */
public final class FolderFixtureWriter implements FixtureWriter {

    private final Path root;

    /** @param root the folder the server serves as the account's root */
    public FolderFixtureWriter(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        Path file = resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    @Override
    public void mkdirs(String path) throws IOException {
        Files.createDirectories(resolve(path));
    }

    @Override
    public void delete(String path) throws IOException {
        Files.delete(resolve(path));
    }

    /** The local file behind a provider path. */
    public Path resolve(String path) {
        Path file = root;
        for (String name : EntryPaths.names(path)) {
            file = file.resolve(name);
        }
        return file;
    }
}
