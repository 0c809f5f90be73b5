package org.cloudkeep.backupfolder;

import org.cloudkeep.api.ContentHasher;

/**
 * Where the backup folder gets a hasher for a hash algorithm: the provider that listed the entry
 * ({@code provider::hasher}), so that provider-specific algorithms are verified too.
 */
@FunctionalInterface
public interface Hashers {

    /** A fresh hasher, or null when the algorithm is unknown (then only the size is checked). */
    ContentHasher hasher(String algorithm);
}
