package org.cloudkeep.merge;

/**
 * What a merge did.
 *
 * @param snapshot the new snapshot's number
 * @param added entries only in the new listing
 * @param changed entries in both whose content changed
 * @param removed entries only in the old snapshot
 * @param unchanged entries in both with the same content
 * @param entries entries in the new snapshot
 * @param groups task groups in the new snapshot
 */
public record MergeResult(
        int snapshot, long added, long changed, long removed, long unchanged, long entries, int groups) {}
