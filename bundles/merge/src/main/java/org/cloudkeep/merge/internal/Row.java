package org.cloudkeep.merge.internal;

/**
 * One row under a merge cursor: of the old snapshot (with its {@code fetched} flag) or of the
 * listing (never fetched).
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
