package org.cloudkeep.groups;

/**
 * A container's current snapshot, counted.
 *
 * @param files files in the snapshot
 * @param bytes their total size
 * @param groups task groups
 * @param fetchedFiles files marked fetched
 * @param fetchedBytes their total size
 */
public record ContainerProgress(long files, long bytes, int groups, long fetchedFiles, long fetchedBytes) {}
