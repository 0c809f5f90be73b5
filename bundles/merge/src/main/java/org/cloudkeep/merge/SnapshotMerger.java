package org.cloudkeep.merge;

import java.sql.SQLException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Merges a finished traversal's listing (its rows in {@code ck_traversal_entries}) into its
 * container's snapshot, in one transaction, and regroups it:
 *
 * <ul>
 *   <li>same path, same content → {@code fetched} kept. Same content means equal hashes where both
 *       carry the same algorithm, else equal size and modified time (and the same directory flag);
 *   <li>same path, different content → {@code fetched = 0};
 *   <li>only in the new listing → {@code fetched = 0};
 *   <li>only in the old snapshot → dropped from the snapshot (the device keeps its copy).
 * </ul>
 *
 * <p>The merge streams: a merge-join of the old snapshot and the listing, both read in path-key
 * order; neither is held in memory. A failure or a crash at any point leaves the old snapshot and
 * every {@code fetched} flag as they were.
 */
@ProviderType
public interface SnapshotMerger {

    /**
     * @param containerId the container
     * @param traversalId its finished traversal
     * @return what changed
     */
    MergeResult merge(long containerId, long traversalId) throws SQLException;
}
