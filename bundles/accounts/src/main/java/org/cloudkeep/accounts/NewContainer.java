package org.cloudkeep.accounts;

import java.util.List;

/**
 * What a new container binds.
 *
 * @param accountId the user's provider account
 * @param deviceId the user's device that backs it up
 * @param folders provider paths to back up; {@code ["/"]} for everything
 * @param groupSize entries per task group (1–100,000); {@code null} for the default
 * @param traverseEveryHours hours between re-traversals (1–8,760); {@code null} for the default (24)
 */
public record NewContainer(
        long accountId, long deviceId, List<String> folders, Integer groupSize, Integer traverseEveryHours) {

    public NewContainer {
        folders = folders == null ? null : List.copyOf(folders);
    }
}
