package org.cloudkeep.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One file or folder in an account.
 *
 * @param path absolute provider path, checked by {@link EntryPaths#normalize(String)}
 * @param size content length in bytes; 0 for a folder
 * @param modified last modification time as the provider reports it
 * @param hash the content hash in the provider's algorithm, or {@code null} when it has none
 * @param directory whether this is a folder
 */
public record Entry(String path, long size, Instant modified, ContentHash hash, boolean directory) {

    public Entry {
        path = EntryPaths.normalize(path);
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + path + ": " + size);
        }
    }

    /** A file entry. */
    public static Entry file(String path, long size, Instant modified, ContentHash hash) {
        return new Entry(path, size, modified, hash, false);
    }

    /** A folder entry. */
    public static Entry folder(String path, Instant modified) {
        return new Entry(path, 0, modified, null, true);
    }

    /** The last segment of the path; empty for the root. */
    public String name() {
        return EntryPaths.name(path);
    }
}
