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
     */
    ReportResult report(long deviceId, long containerId, int groupNo, List<String> fetchedPaths, long freeBytes);

    /** A container's progress, for its owner. */
    ContainerProgress progress(long containerId);
}
