package org.cloudkeep.backupfolder;

import java.nio.file.Path;

/**
 * A file now at its final name.
 *
 * @param providerPath the path as the provider gave it
 * @param file the absolute file
 * @param storedAs its path relative to the container folder, '/'-separated
 * @param renamed whether any name on the path was encoded (see {@link SafeNames})
 * @param previousVersion where what stood at the final name went, or null when nothing was replaced
 * @param unchanged whether an identical file was already there and was kept as it was
 * @param verifiedWith the hash algorithm the bytes were checked with ("sha256", "dropbox-content-hash", ...), or "size"
 */
public record Placed(
        String providerPath,
        Path file,
        String storedAs,
        boolean renamed,
        Path previousVersion,
        boolean unchanged,
        String verifiedWith) {}
