package org.cloudkeep.groups.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.groups.ContainerProgress;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.InactiveDeviceException;
import org.cloudkeep.groups.ReportResult;
import org.cloudkeep.groups.TaskGroup;
import org.cloudkeep.groups.TaskGroups;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.PathKeys;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task groups served from the container snapshots in {@code ck_entries}.
 *
 * <p>Finding work is a query per container, never a scan: the lowest unfetched group of a snapshot
 * is one seek on {@code ck_entries_unfinished}, and its entries one range of it. A report locks its
 * container's row first, the row the merge holds locked for its whole transaction, so a report and a
 * merge never interleave: a {@code fetched} flag set by a report is either seen by the merge or
 * refused because the snapshot moved on.
 *
 * <p>{@code ck_entries.fetched} is 0 (not yet), 1 (the device reported it fetched) or 2 (the device
 * reported it missing at the provider). Only 0 is handed out; only 1 counts as fetched.
 *
 * <p>Database failures surface as {@link IllegalStateException}s with the {@link SQLException} as
 * cause (a lock time-out while a merge runs long is one), since the service interface declares no
 * checked exceptions.
 */
@Component(configurationPid = DatabaseTaskGroups.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GroupsConfig.class)
public class DatabaseTaskGroups implements TaskGroups {

    static final String PID = "cloudkeep.groups";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseTaskGroups.class);
    /** Reads of a container are retried this often when a merge moved its snapshot on meanwhile. */
    private static final int ATTEMPTS = 3;

    private static final String SNAPSHOT = "SELECT snapshot FROM ck_containers WHERE id = ?";
    private static final String FIRST_UNFINISHED =
            "SELECT MIN(group_no) FROM ck_entries WHERE container_id = ? AND snapshot = ? AND fetched = 0";
    private static final String GROUP_ENTRIES =
            "SELECT path, size, modified_ms, hash_algorithm, hash_value, directory FROM ck_entries "
                    + "WHERE container_id = ? AND snapshot = ? AND group_no = ? AND fetched = 0 ORDER BY path_key";
    private static final String LOCK_OWN_CONTAINER =
            "UPDATE ck_containers SET snapshot = snapshot WHERE id = ? AND device_id = ?";
    private static final String MARK_FETCHED = "UPDATE ck_entries SET fetched = 1 "
            + "WHERE container_id = ? AND snapshot = ? AND path_key = ? AND group_no = ?";
    // Only a not yet fetched entry becomes missing; the row is touched either way, so that the update
    // count still says whether the path is in the group (a repeated report is ok).
    private static final String MARK_MISSING = "UPDATE ck_entries SET fetched = CASE WHEN fetched = 0 THEN 2 "
            + "ELSE fetched END WHERE container_id = ? AND snapshot = ? AND path_key = ? AND group_no = ?";
    private static final String RECORD_DEVICE =
            "UPDATE ck_devices SET free_bytes = ?, state = ?, last_seen_at = ? WHERE id = ?";
    private static final String PROGRESS = "SELECT "
            + "SUM(CASE WHEN e.directory = 0 THEN CAST(1 AS BIGINT) ELSE 0 END), "
            + "SUM(CASE WHEN e.directory = 0 THEN e.size ELSE 0 END), "
            + "MAX(e.group_no), "
            + "SUM(CASE WHEN e.directory = 0 AND e.fetched = 1 THEN CAST(1 AS BIGINT) ELSE 0 END), "
            + "SUM(CASE WHEN e.directory = 0 AND e.fetched = 1 THEN e.size ELSE 0 END), "
            + "SUM(CASE WHEN e.directory = 0 AND e.fetched = 2 THEN CAST(1 AS BIGINT) ELSE 0 END) "
            + "FROM ck_containers c JOIN ck_entries e ON e.container_id = c.id AND e.snapshot = c.snapshot "
            + "WHERE c.id = ?";

    private final Database database;
    private final Accounts accounts;
    private final long minFreeBytes;
    private final int recheckSeconds;
    private final Clock clock;

    @Activate
    public DatabaseTaskGroups(
            @Reference(name = "database") Database database,
            @Reference(name = "accounts") Accounts accounts,
            GroupsConfig config) {
        this(database, accounts, config.minFreeBytes(), config.recheckSeconds(), Clock.systemUTC());
    }

    DatabaseTaskGroups(Database database, Accounts accounts, long minFreeBytes, int recheckSeconds, Clock clock) {
        this.database = database;
        this.accounts = accounts;
        if (minFreeBytes < 0) {
            LOG.warn("Configured minFreeBytes {} is negative; using 0", minFreeBytes);
        }
        if (recheckSeconds < 1) {
            LOG.warn("Configured recheckSeconds {} is below 1; using 1", recheckSeconds);
        }
        this.minFreeBytes = Math.max(0, minFreeBytes);
        this.recheckSeconds = Math.max(1, recheckSeconds);
        this.clock = clock;
    }

    @Override
    public DeviceStatus status(long deviceId, long freeBytes) {
        DeviceStatus status = stateFor(freeBytes);
        int updated = call(
                "record the free space of device " + deviceId,
                () -> database.read(c -> {
                    try (PreparedStatement update = c.prepareStatement(RECORD_DEVICE)) {
                        update.setLong(1, freeBytes);
                        update.setString(2, status.state());
                        update.setTimestamp(3, Timestamp.from(clock.instant()));
                        update.setLong(4, deviceId);
                        return update.executeUpdate();
                    }
                }));
        if (updated == 0) {
            LOG.warn("Device {} reported its free space but is not in the database", deviceId);
        }
        return status;
    }

    @Override
    public Optional<TaskGroup> next(long deviceId, long freeBytes) throws InactiveDeviceException {
        requireActive(deviceId, freeBytes);
        for (Container container : containersOf(deviceId)) {
            Optional<TaskGroup> group = firstUnfinished(container);
            if (group.isPresent()) {
                return group;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<TaskGroup> nextOfEach(long deviceId, long freeBytes) throws InactiveDeviceException {
        requireActive(deviceId, freeBytes);
        List<TaskGroup> groups = new ArrayList<>();
        for (Container container : containersOf(deviceId)) {
            firstUnfinished(container).ifPresent(groups::add);
        }
        return groups;
    }

    @Override
    public ReportResult report(
            long deviceId,
            long containerId,
            int groupNo,
            List<String> fetchedPaths,
            List<String> missingPaths,
            long freeBytes) {
        DeviceStatus status = status(deviceId, freeBytes);
        List<String> fetched = fetchedPaths == null ? List.of() : fetchedPaths;
        List<String> missing = missingPaths == null ? List.of() : missingPaths;
        Marked marked = call(
                "mark group " + groupNo + " of container " + containerId + " fetched",
                () -> database.inTransaction(c -> mark(c, deviceId, containerId, groupNo, fetched, missing)));
        if (!marked.ok()) {
            LOG.info(
                    "Device {} reported group {} of container {}: {} of {} fetched and {} of {} missing paths"
                            + " marked, the rest {}",
                    deviceId,
                    groupNo,
                    containerId,
                    marked.fetched(),
                    fetched.size(),
                    marked.missing(),
                    missing.size(),
                    marked.owned() ? "not in that group" : "refused: not this device's container");
        }
        return new ReportResult(marked.ok(), status.state());
    }

    /**
     * In one transaction: lock the container row (as the merge does), then mark path by path. The
     * fetched paths go first; a path in both lists stays fetched, since missing never overwrites 1.
     */
    private static Marked mark(
            Connection c, long deviceId, long containerId, int groupNo, List<String> fetched, List<String> missing)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(LOCK_OWN_CONTAINER)) {
            lock.setLong(1, containerId);
            lock.setLong(2, deviceId);
            if (lock.executeUpdate() == 0) {
                return new Marked(false, false, 0, 0);
            }
        }
        int snapshot = snapshotOf(c, containerId);
        int fetchedCount;
        int missingCount;
        try (PreparedStatement update = c.prepareStatement(MARK_FETCHED)) {
            fetchedCount = markEach(update, containerId, snapshot, groupNo, fetched);
        }
        try (PreparedStatement update = c.prepareStatement(MARK_MISSING)) {
            missingCount = markEach(update, containerId, snapshot, groupNo, missing);
        }
        boolean ok = fetchedCount == fetched.size() && missingCount == missing.size();
        return new Marked(ok, true, fetchedCount, missingCount);
    }

    /** Runs the update for each path; answers how many paths were in the group. */
    private static int markEach(
            PreparedStatement update, long containerId, int snapshot, int groupNo, List<String> paths)
            throws SQLException {
        int count = 0;
        for (String path : paths) {
            if (!valid(path)) {
                continue;
            }
            update.setLong(1, containerId);
            update.setInt(2, snapshot);
            update.setString(3, PathKeys.of(path));
            update.setInt(4, groupNo);
            if (update.executeUpdate() != 0) {
                count++;
            }
        }
        return count;
    }

    private static boolean valid(String path) {
        try {
            EntryPaths.normalize(path);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    @Override
    public ContainerProgress progress(long containerId) {
        return call(
                "count the progress of container " + containerId,
                () -> database.read(c -> {
                    try (PreparedStatement query = c.prepareStatement(PROGRESS)) {
                        query.setLong(1, containerId);
                        try (ResultSet rs = query.executeQuery()) {
                            if (!rs.next()) {
                                return new ContainerProgress(0, 0, 0, 0, 0, 0);
                            }
                            return new ContainerProgress(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getInt(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    rs.getLong(6));
                        }
                    }
                }));
    }

    private DeviceStatus stateFor(long freeBytes) {
        return new DeviceStatus(
                freeBytes >= minFreeBytes ? DeviceStatus.ACTIVE : DeviceStatus.INACTIVE, recheckSeconds);
    }

    private void requireActive(long deviceId, long freeBytes) throws InactiveDeviceException {
        DeviceStatus status = status(deviceId, freeBytes);
        if (!status.active()) {
            throw new InactiveDeviceException(status);
        }
    }

    private List<Container> containersOf(long deviceId) {
        return accounts.containersOfDevice(deviceId).stream()
                .filter(container -> container.deviceId() == deviceId)
                .sorted(Comparator.comparingLong(Container::id))
                .toList();
    }

    /**
     * The container's first unfinished group with the credentials to fetch it. The snapshot number
     * is read before and after: when a merge moved it on in between, the read is repeated on the new
     * snapshot.
     */
    private Optional<TaskGroup> firstUnfinished(Container container) {
        long id = container.id();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Found found = call("find the next group of container " + id, () -> database.read(c -> find(c, id)));
            if (found == null) {
                continue; // the snapshot moved on, or the group was finished meanwhile: look again
            }
            if (found.groupNo() == 0) {
                return Optional.empty();
            }
            AccountCredentials credentials;
            try {
                credentials = accounts.credentials(container.accountId());
            } catch (AccountsException e) {
                // One broken account must not keep a device from its other containers.
                LOG.warn(
                        "Container {} has group {} to fetch, but the credentials of its account {} are not available ({}); skipping it",
                        id,
                        found.groupNo(),
                        container.accountId(),
                        e.getMessage());
                return Optional.empty();
            }
            return Optional.of(new TaskGroup(
                    id, found.groupNo(), credentials.provider(), credentials.credentials(), found.entries()));
        }
        LOG.warn("Container {} changed its snapshot {} times while its next group was read; skipping it", id, ATTEMPTS);
        return Optional.empty();
    }

    /**
     * The first unfinished group of a container's current snapshot: groupNo 0 when there is none;
     * {@code null} when the read must be repeated.
     */
    private static Found find(Connection c, long containerId) throws SQLException {
        int snapshot = snapshotOf(c, containerId);
        if (snapshot <= 0) {
            return new Found(0, List.of());
        }
        int groupNo;
        try (PreparedStatement query = c.prepareStatement(FIRST_UNFINISHED)) {
            query.setLong(1, containerId);
            query.setInt(2, snapshot);
            try (ResultSet rs = query.executeQuery()) {
                groupNo = rs.next() ? rs.getInt(1) : 0;
            }
        }
        List<Entry> entries = groupNo == 0 ? List.of() : entries(c, containerId, snapshot, groupNo);
        if (snapshotOf(c, containerId) != snapshot || (groupNo != 0 && entries.isEmpty())) {
            return null;
        }
        return new Found(groupNo, entries);
    }

    private static List<Entry> entries(Connection c, long containerId, int snapshot, int groupNo) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(GROUP_ENTRIES)) {
            query.setLong(1, containerId);
            query.setInt(2, snapshot);
            query.setInt(3, groupNo);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String algorithm = rs.getString(4);
                    String value = rs.getString(5);
                    ContentHash hash = algorithm == null || value == null || algorithm.isBlank() || value.isBlank()
                            ? null
                            : new ContentHash(algorithm, value);
                    entries.add(new Entry(
                            rs.getString(1),
                            rs.getLong(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            hash,
                            rs.getInt(6) != 0));
                }
            }
        }
        return entries;
    }

    /** The container's current snapshot number; -1 when there is no such container. */
    private static int snapshotOf(Connection c, long containerId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(SNAPSHOT)) {
            query.setLong(1, containerId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static <T> T call(String what, SqlCall<T> call) {
        try {
            return call.run();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "database failure while trying to " + what + ": " + e.getMessage() + " (SQL state "
                            + e.getSQLState() + ")",
                    e);
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    private record Found(int groupNo, List<Entry> entries) {}

    private record Marked(boolean ok, boolean owned, int fetched, int missing) {}
}
