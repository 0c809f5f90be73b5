package org.cloudkeep.protocol.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.groups.ContainerProgress;
import org.cloudkeep.groups.TaskGroup;

/** The answer bodies, one record each, written by Jackson in component order. */
final class Answers {

    private Answers() {}

    record UserCreated(long userId) {}

    record SessionOpened(String token) {}

    record DeviceRegistered(long deviceId, String deviceToken) {}

    record AccountCreated(long accountId) {}

    record ContainerCreated(long containerId) {}

    record TraversalRequested(long containerId) {}

    record Provider(String id, String name, List<String> hashes, List<Credential> credentials) {

        static Provider of(ProviderDescriptor descriptor) {
            return new Provider(
                    descriptor.id(),
                    descriptor.displayName(),
                    descriptor.hashAlgorithms(),
                    descriptor.credentials().stream().map(Credential::of).toList());
        }
    }

    /** {@code POST /accounts/oauth2}: where to send the person, and the state to hand back. */
    record SignInStarted(String authorizeUrl, String state) {}

    /** A credential field of {@code GET /providers}; {@code optional} is an addition to v1. */
    record Credential(String name, String label, boolean secret, boolean optional) {

        static Credential of(CredentialField field) {
            return new Credential(field.name(), field.label(), field.secret(), field.optional());
        }
    }

    /**
     * {@code GET /containers/{id}}; {@code missingFiles} and {@code lastError} are additions to the
     * table of v1.
     */
    record ContainerState(
            long containerId,
            String state,
            long files,
            long bytes,
            int groups,
            long fetchedFiles,
            long fetchedBytes,
            long missingFiles,
            LastTraversal lastTraversal,
            String nextTraversalAt,
            String lastError) {

        static ContainerState of(Container container, ContainerProgress progress) {
            Container.TraversalSummary last = container.lastTraversal();
            return new ContainerState(
                    container.id(),
                    container.state(),
                    progress.files(),
                    progress.bytes(),
                    progress.groups(),
                    progress.fetchedFiles(),
                    progress.fetchedBytes(),
                    progress.missingFiles(),
                    last == null
                            ? null
                            : new LastTraversal(
                                    instant(last.finishedAt()),
                                    last.added(),
                                    last.changed(),
                                    last.removed(),
                                    last.unchanged()),
                    instant(container.nextTraversalAt()),
                    container.lastError());
        }
    }

    record LastTraversal(String finishedAt, long added, long changed, long removed, long unchanged) {}

    record DeviceState(String state, int recheckSeconds) {}

    record Group(long containerId, int groupNo, Account account, List<GroupEntry> entries) {

        static Group of(TaskGroup group) {
            return new Group(
                    group.containerId(),
                    group.groupNo(),
                    new Account(group.provider(), group.credentials()),
                    group.entries().stream().map(GroupEntry::of).toList());
        }
    }

    /** The account's credentials go to the device, which fetches straight from the provider. */
    record Account(String provider, Map<String, String> credentials) {

        @Override
        public String toString() {
            return "Account[provider=" + provider + "]";
        }
    }

    record GroupEntry(String path, long size, String modified, Hash hash, boolean directory) {

        static GroupEntry of(Entry entry) {
            ContentHash hash = entry.hash();
            return new GroupEntry(
                    entry.path(),
                    entry.size(),
                    instant(entry.modified()),
                    hash == null ? null : new Hash(hash.algorithm(), hash.value()),
                    entry.directory());
        }
    }

    record Hash(String algorithm, String value) {}

    record ReportAnswer(boolean ok, String state) {}

    /** ISO-8601, or {@code null}. */
    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
