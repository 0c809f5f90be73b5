package org.cloudkeep.groups;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a device works on. A device is ACTIVE while its reported free space is at or above the
 * threshold, else INACTIVE; only an ACTIVE device is handed groups.
 */
@ProviderType
public interface TaskGroups {

    /** Records a device's free space and answers its state. */
    DeviceStatus status(long deviceId, long freeBytes);

    /**
     * The first unfinished group over the device's containers (lowest container id, then lowest
     * group number), with the account credentials to fetch it; empty when everything is fetched.
     *
     * @throws InactiveDeviceException when the free space is below the threshold
     */
    Optional<TaskGroup> next(long deviceId, long freeBytes) throws InactiveDeviceException;

    /** The first unfinished group of each of the device's containers (parallel mode). */
    List<TaskGroup> nextOfEach(long deviceId, long freeBytes) throws InactiveDeviceException;

    /**
     * Marks the reported files fetched, each an indexed update. {@link ReportResult#ok()} is false
     * when a path is not (or no longer) in that group: the snapshot was regrouped, and the device
     * drops the rest of its group and asks again. Paths that are in it are marked either way.
     *
     * <p>The same as {@link #report(long, long, int, List, List, long)} with no missing paths.
     */
    default ReportResult report(
            long deviceId, long containerId, int groupNo, List<String> fetchedPaths, long freeBytes) {
        return report(deviceId, containerId, groupNo, fetchedPaths, List.of(), freeBytes);
    }

    /**
     * Marks the reported files fetched, and the missing ones missing at the provider, so that they
     * are not handed out again (a missing file that is still listed by the next traversal is fetched
     * again then). A still unfetched entry of the group becomes missing; one already fetched stays
     * fetched, and a path in both lists counts as fetched. {@link ReportResult#ok()} is false when a
     * path of either list is not (or no longer) in that group; the paths that are are marked either
     * way.
     *
     * @param fetchedPaths paths the device fetched; {@code null} counts as empty
     * @param missingPaths paths the provider says no longer exist; {@code null} counts as empty
     * @since 1.1
     */
    ReportResult report(
            long deviceId,
            long containerId,
            int groupNo,
            List<String> fetchedPaths,
            List<String> missingPaths,
            long freeBytes);

    /** A container's progress, for its owner. */
    ContainerProgress progress(long containerId);
}
