package org.cloudkeep.merge.internal;

/**
 * One row under a merge cursor: of the old snapshot (with its {@code fetched} flag) or of the
 * listing (never fetched). {@code fetched} is true only for {@code fetched = 1}: an entry the device
 * reported missing at the provider (2) is not fetched, so it is fetched again if it is listed again.
 */
record Row(
        String key,
        String path,
        long size,
        long modifiedMs,
        String hashAlgorithm,
        String hashValue,
        boolean directory,
        boolean fetched) {}
