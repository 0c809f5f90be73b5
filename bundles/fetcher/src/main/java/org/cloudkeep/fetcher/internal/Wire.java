package org.cloudkeep.fetcher.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.ContentHash;

/** What the cloud answers the device, as protocol v1 defines it (docs/device-protocol.md). */
final class Wire {

    private Wire() {}

    /** {@code device/status}: whether the device may fetch, and when to ask again if not. */
    record DeviceState(boolean active, Duration recheck) {}

    /** One task group's header; its entries were streamed into the database under {@code receipt}. */
    record Group(long containerId, int groupNo, String provider, Map<String, String> credentials, long receipt) {}

    /** One entry of a group. */
    record Entry(String path, long size, Instant modified, ContentHash hash, boolean directory) {}

    /** {@code device/groups/next}. */
    sealed interface Next permits Groups, Nothing, Inactive {}

    record Groups(List<Group> groups) implements Next {}

    record Nothing() implements Next {}

    record Inactive(Duration recheck) implements Next {}

    /** {@code device/reports}: {@code ok:false} means the group changed under the device. */
    record Report(boolean ok, boolean active) {}
}
