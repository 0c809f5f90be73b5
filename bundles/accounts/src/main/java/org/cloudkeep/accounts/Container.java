package org.cloudkeep.accounts;

import java.time.Instant;
import java.util.List;

/**
 * A container: one provider account's folders, backed up to one device.
 *
 * @param id the container id
 * @param userId its owner
 * @param accountId the provider account
 * @param provider that account's provider id
 * @param deviceId the device it is backed up to
 * @param folders the provider folders it covers
 * @param groupSize entries per task group
 * @param traverseEveryHours hours between re-traversals
 * @param snapshot the current snapshot's number; 0 before the first traversal finished
 * @param state WAITING, TRAVERSING, READY or FAILED
 * @param nextTraversalAt when the next traversal is due
 * @param lastError why the last traversal failed, or {@code null}
 * @param lastTraversal what the last merged traversal found, or {@code null} before the first
 */
public record Container(
        long id,
        long userId,
        long accountId,
        String provider,
        long deviceId,
        List<String> folders,
        int groupSize,
        int traverseEveryHours,
        int snapshot,
        String state,
        Instant nextTraversalAt,
        String lastError,
        TraversalSummary lastTraversal) {

    public Container {
        folders = List.copyOf(folders);
    }

    /**
     * The counts of the last merged traversal.
     *
     * @param finishedAt when it was merged
     */
    public record TraversalSummary(Instant finishedAt, long added, long changed, long removed, long unchanged) {}
}
