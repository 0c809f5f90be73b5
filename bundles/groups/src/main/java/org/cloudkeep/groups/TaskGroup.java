package org.cloudkeep.groups;

import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Entry;

/**
 * A group handed to a device: which container, which group, how to reach the account, and the
 * entries to fetch.
 *
 * @param containerId the container
 * @param groupNo the group's number, from 1
 * @param provider the provider id
 * @param credentials the account's credentials, for the device to fetch straight from the provider
 * @param entries the group's unfetched entries, in path-key order
 */
public record TaskGroup(
        long containerId, int groupNo, String provider, Map<String, String> credentials, List<Entry> entries) {

    public TaskGroup {
        credentials = Map.copyOf(credentials);
        entries = List.copyOf(entries);
    }

    /** Never prints the credentials. */
    @Override
    public String toString() {
        return "TaskGroup[container=" + containerId + ", group=" + groupNo + ", entries=" + entries.size() + "]";
    }
}
