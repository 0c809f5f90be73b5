package org.cloudkeep.fetcher.internal;

import org.cloudkeep.providers.ProviderRegistry;

/** What the fetch loop and its group runs share. */
record Context(
        Settings settings,
        CloudClient cloud,
        HeldGroups held,
        ProviderRegistry providers,
        Progress progress,
        Stopper stopper,
        FreeSpace freeSpace,
        Blocks blocks,
        Folders folders,
        long startedNanos) {

    /** How long after start a missing provider is waited for: the plugins folder is still being read. */
    static final java.time.Duration PLUGIN_GRACE = java.time.Duration.ofSeconds(20);

    /** Whether the runtime started so recently that its plugins may still be on their way. */
    boolean inPluginGrace() {
        return System.nanoTime() - startedNanos < PLUGIN_GRACE.toNanos();
    }
}
