package org.cloudkeep.api;

/**
 * One change seen through a change cursor.
 *
 * @param path the path that changed
 * @param entry what is at the path now, or {@code null} when it was deleted
 */
public record Change(String path, Entry entry) {

    public Change {
        path = EntryPaths.normalize(path);
        if (entry != null && !entry.path().equals(path)) {
            throw new IllegalArgumentException("change of " + path + " carries an entry for " + entry.path());
        }
    }

    /** Whether the path was deleted. */
    public boolean deleted() {
        return entry == null;
    }
}
