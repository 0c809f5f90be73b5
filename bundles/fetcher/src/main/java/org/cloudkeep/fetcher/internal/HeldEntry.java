package org.cloudkeep.fetcher.internal;

import java.time.Instant;
import org.cloudkeep.api.ContentHash;

/**
 * An entry of the group in hand, as the device's database keeps it.
 *
 * @param durableBytes how much of its staging file was forced to disk at the last checkpoint
 */
record HeldEntry(
        long containerId,
        String pathKey,
        String path,
        long size,
        Instant modified,
        ContentHash hash,
        boolean directory,
        long durableBytes) {}
