package org.cloudkeep.backupfolder.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one provider path lives in a container folder.
 *
 * @param providerPath the provider path with its leading '/'
 * @param storedNames the stored name of each of its names, top first; empty for the root
 * @param storedAs the stored names joined by '/'
 * @param renamed whether any name was encoded
 * @param file the absolute place, inside the container folder
 */
public record Target(String providerPath, List<String> storedNames, String storedAs, boolean renamed, Path file) {

    public boolean isRoot() {
        return storedNames.isEmpty();
    }
}
