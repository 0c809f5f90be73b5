package org.cloudkeep.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of changes.
 *
 * @param changes the changes, oldest first
 * @param cursor the cursor to ask from next time
 * @param more whether more changes are waiting right now
 */
public record ChangePage(List<Change> changes, String cursor, boolean more) {

    public ChangePage {
        changes = List.copyOf(changes);
        Objects.requireNonNull(cursor, "cursor");
    }
}
