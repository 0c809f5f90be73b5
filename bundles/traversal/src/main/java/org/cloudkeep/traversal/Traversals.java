package org.cloudkeep.traversal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts traversals. Containers are walked on their own interval without being asked; this is for
 * "now".
 */
@ProviderType
public interface Traversals {

    /**
     * Makes a container's traversal due now and wakes the scheduler. A traversal already running for
     * it is not interrupted; the request is then served by the next one.
     */
    void requestNow(long containerId);
}
