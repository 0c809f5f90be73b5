package org.cloudkeep.api;

/** Optional operations of a {@link ProviderSession}. */
public enum Capability {
    /** {@link ProviderSession#open} accepts an offset above 0, so a download can resume. */
    RANGED_READS,
    /** {@link ProviderSession#listTree} lists a whole tree in pages. */
    RECURSIVE_LISTING,
    /** {@link ProviderSession#changeCursor} and {@link ProviderSession#changesSince} work. */
    CHANGE_CURSOR
}
