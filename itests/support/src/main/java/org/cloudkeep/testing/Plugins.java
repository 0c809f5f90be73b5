package org.cloudkeep.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Drops bundles into a watched plugins folder the way an operator should: whole, in one rename. */
public final class Plugins {

    private Plugins() {}

    /**
     * Copies a jar into the folder under a name the watcher ignores, then renames it, so the watcher
     * never sees half a jar. The folder is created when missing (before a runtime's first start).
     *
     * @return the installed file
     */
    public static Path drop(Path jar, Path plugins, String name) throws IOException {
        Files.createDirectories(plugins);
        Path partial = plugins.resolve(name + ".part");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(partial, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
