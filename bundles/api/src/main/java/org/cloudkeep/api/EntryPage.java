package org.cloudkeep.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param entries the entries of this page
 * @param nextPageToken the token for the next page, or {@code null} when this is the last one
 */
public record EntryPage(List<Entry> entries, String nextPageToken) {

    public EntryPage {
        entries = List.copyOf(entries);
    }

    /** Whether no page follows. */
    public boolean last() {
        return nextPageToken == null;
    }
}
