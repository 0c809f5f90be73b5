package org.cloudkeep.protocol.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.AccountsException.Reason;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.DeviceRegistration;
import org.cloudkeep.accounts.NewContainer;
import org.cloudkeep.accounts.Principal;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.groups.ContainerProgress;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.InactiveDeviceException;
import org.cloudkeep.groups.ReportResult;
import org.cloudkeep.groups.TaskGroup;
import org.cloudkeep.groups.TaskGroups;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.traversal.Traversals;

/** Small hand-written services behind the protocol, for tests without a framework. */
final class Fakes {

    static final Instant NEXT_TRAVERSAL = Instant.parse("2026-05-06T07:08:09Z");

    private Fakes() {}

    /** Users, tokens, devices, accounts and containers in maps; enough rules to answer like the real one. */
    static final class FakeAccounts implements Accounts {

        private final AtomicLong ids = new AtomicLong(100);
        private final Map<String, Long> users = new HashMap<>();
        private final Map<String, String> passwords = new HashMap<>();
        private final Map<String, Principal> tokens = new HashMap<>();
        private final Map<String, Long> serials = new HashMap<>();
        private final Map<Long, Long> accountOwners = new HashMap<>();
        final Map<Long, Container> containers = new HashMap<>();
        final List<NewContainer> created = new ArrayList<>();
        /** The credentials of every account bound, in order. */
        final List<Map<String, String>> boundCredentials = new ArrayList<>();

        RuntimeException failAuthentication;

        @Override
        public long createUser(String username, char[] password) throws AccountsException {
            if (username.isBlank() || username.length() > 64 || password.length < 8) {
                throw new AccountsException(Reason.INVALID, "a username has 1-64 characters, a password at least 8");
            }
            if (users.containsKey(username)) {
                throw new AccountsException(Reason.CONFLICT, "the username " + username + " is taken");
            }
            long id = ids.incrementAndGet();
            users.put(username, id);
            passwords.put(username, new String(password));
            return id;
        }

        @Override
        public String openSession(String username, char[] password) throws AccountsException {
            if (!users.containsKey(username) || !passwords.get(username).equals(new String(password))) {
                throw new AccountsException(Reason.UNAUTHORIZED, "wrong username or password");
            }
            String token = "session-" + ids.incrementAndGet();
            tokens.put(token, new Principal(users.get(username), null));
            return token;
        }

        @Override
        public Optional<Principal> authenticate(String bearerToken) {
            if (failAuthentication != null) {
                throw failAuthentication;
            }
            return Optional.ofNullable(tokens.get(bearerToken));
        }

        @Override
        public void revoke(String bearerToken) {
            tokens.remove(bearerToken);
        }

        @Override
        public DeviceRegistration registerDevice(long userId, String serial, String name) throws AccountsException {
            if (serials.containsKey(serial)) {
                throw new AccountsException(Reason.CONFLICT, "a device with serial " + serial + " is registered");
            }
            long id = ids.incrementAndGet();
            serials.put(serial, id);
            String token = "device-" + id;
            tokens.put(token, new Principal(userId, id));
            return new DeviceRegistration(id, token);
        }

        @Override
        public long createAccount(long userId, String provider, String label, Map<String, String> credentials)
                throws AccountsException {
            if (!provider.equals("local") && !provider.equals("signin")) {
                throw new AccountsException(Reason.REJECTED, "provider " + provider + " is not installed");
            }
            boundCredentials.add(Map.copyOf(credentials));
            if (provider.equals("local") && !credentials.containsKey("root")) {
                throw new AccountsException(Reason.REJECTED, "the provider rejected the credentials: root is missing");
            }
            long id = ids.incrementAndGet();
            accountOwners.put(id, userId);
            return id;
        }

        @Override
        public void renewCredentials(long accountId, Map<String, String> renewed) {
            throw new UnsupportedOperationException("the protocol never renews credentials");
        }

        @Override
        public AccountCredentials credentials(long accountId) {
            throw new UnsupportedOperationException("the protocol never unseals credentials itself");
        }

        @Override
        public long createContainer(long userId, NewContainer container) throws AccountsException {
            if (!Long.valueOf(userId).equals(accountOwners.get(container.accountId()))) {
                throw new AccountsException(Reason.NOT_FOUND, "no account " + container.accountId());
            }
            created.add(container);
            long id = ids.incrementAndGet();
            containers.put(
                    id,
                    new Container(
                            id,
                            userId,
                            container.accountId(),
                            "local",
                            container.deviceId(),
                            container.folders(),
                            container.groupSize() == null ? 1000 : container.groupSize(),
                            24,
                            0,
                            "WAITING",
                            NEXT_TRAVERSAL,
                            null,
                            null));
            return id;
        }

        @Override
        public Optional<Container> container(long userId, long containerId) {
            return container(containerId).filter(c -> c.userId() == userId);
        }

        @Override
        public Optional<Container> container(long containerId) {
            return Optional.ofNullable(containers.get(containerId));
        }

        /** Called at every look at a device's containers, with how many there have been: a test merges a traversal. */
        IntConsumer onDeviceLook = look -> {};

        int deviceLooks;

        @Override
        public List<Container> containersOfDevice(long deviceId) {
            onDeviceLook.accept(++deviceLooks);
            return containers.values().stream()
                    .filter(c -> c.deviceId() == deviceId)
                    .toList();
        }
    }

    /** Answers what a test sets and records what it was asked. */
    static final class FakeGroups implements TaskGroups {

        DeviceStatus status = new DeviceStatus(DeviceStatus.ACTIVE, 300);
        Optional<TaskGroup> next = Optional.empty();
        List<TaskGroup> each = List.of();
        ReportResult reportResult = new ReportResult(true, DeviceStatus.ACTIVE);
        ContainerProgress progress = new ContainerProgress(0, 0, 0, 0, 0, 0);
        RuntimeException failure;
        /** How many calls of next and nextOfEach answer nothing before the set answer comes. */
        int emptyAnswers;
        /** Runs at every call of next, before it answers: a test commits a merge meanwhile. */
        Runnable whenAsked = () -> {};

        final List<String> calls = new ArrayList<>();

        @Override
        public DeviceStatus status(long deviceId, long freeBytes) {
            calls.add("status " + deviceId + " " + freeBytes);
            return status;
        }

        @Override
        public Optional<TaskGroup> next(long deviceId, long freeBytes) throws InactiveDeviceException {
            calls.add("next " + deviceId + " " + freeBytes);
            whenAsked.run();
            failIfAsked();
            if (!status.active()) {
                throw new InactiveDeviceException(status);
            }
            return emptyAnswers-- > 0 ? Optional.empty() : next;
        }

        @Override
        public List<TaskGroup> nextOfEach(long deviceId, long freeBytes) throws InactiveDeviceException {
            calls.add("nextOfEach " + deviceId + " " + freeBytes);
            if (!status.active()) {
                throw new InactiveDeviceException(status);
            }
            return emptyAnswers-- > 0 ? List.of() : each;
        }

        @Override
        public ReportResult report(
                long deviceId,
                long containerId,
                int groupNo,
                List<String> fetchedPaths,
                List<String> missingPaths,
                long freeBytes) {
            calls.add("report " + deviceId + " " + containerId + " " + groupNo + " " + fetchedPaths + " " + missingPaths
                    + " " + freeBytes);
            return reportResult;
        }

        @Override
        public ContainerProgress progress(long containerId) {
            calls.add("progress " + containerId);
            return progress;
        }

        private void failIfAsked() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    static final class FakeTraversals implements Traversals {

        final List<Long> requested = new ArrayList<>();
        RuntimeException failure;

        @Override
        public void requestNow(long containerId) {
            if (failure != null) {
                throw failure;
            }
            requested.add(containerId);
        }
    }

    static final class FakeProviders implements ProviderRegistry {

        final List<ProviderDescriptor> descriptors = new ArrayList<>(List.of(new ProviderDescriptor(
                "local",
                "Local folder",
                List.of(new CredentialField("root", "Folder", false), new CredentialField("key", "Key", true)),
                List.of(ContentHash.SHA256),
                Set.of())));

        /** Providers a test installs, by id; the listing ({@link #descriptors}) is separate. */
        final Map<String, CloudDriveProvider> installed = new HashMap<>();

        @Override
        public Optional<CloudDriveProvider> find(String providerId) {
            return Optional.ofNullable(installed.get(providerId));
        }

        @Override
        public List<ProviderDescriptor> descriptors() {
            return descriptors;
        }
    }

    /** A group of a folder and two files, one with a hash. */
    static TaskGroup group(long containerId, int groupNo) {
        Instant modified = Instant.parse("2025-12-31T23:59:58.250Z");
        return new TaskGroup(
                containerId,
                groupNo,
                "local",
                Map.of("root", "/srv/drive"),
                Arrays.asList(
                        Entry.folder("/docs", modified),
                        Entry.file("/docs/a.txt", 12, modified, new ContentHash("sha256", "ab".repeat(32))),
                        Entry.file("/docs/b.txt", 0, modified, null)));
    }
}
