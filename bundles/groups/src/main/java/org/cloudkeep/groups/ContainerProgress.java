package org.cloudkeep.groups;

/**
 * A container's current snapshot, counted.
 *
 * @param files files in the snapshot
 * @param bytes their total size
 * @param groups task groups
 * @param fetchedFiles files the device reported fetched
 * @param fetchedBytes their total size
 * @param missingFiles files the device reported missing at the provider (since 1.1)
 */
public record ContainerProgress(
        long files, long bytes, int groups, long fetchedFiles, long fetchedBytes, long missingFiles) {

    /** Without missing files: the constructor of 1.0, kept for callers built against it. */
    public ContainerProgress(long files, long bytes, int groups, long fetchedFiles, long fetchedBytes) {
        this(files, bytes, groups, fetchedFiles, fetchedBytes, 0);
    }
}
