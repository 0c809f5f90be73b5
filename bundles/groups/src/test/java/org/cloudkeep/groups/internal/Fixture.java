package org.cloudkeep.groups.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.UnsupportedAccounts;
import org.cloudkeep.store.PathKeys;
import org.cloudkeep.store.internal.TestDatabase;

/**
 * Rows written with plain SQL, as the accounts and merge bundles would write them, and a small
 * {@link Accounts} that reads containers from the same database.
 */
final class Fixture extends UnsupportedAccounts {

    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private final TestDatabase db;
    private final Set<Long> brokenAccounts = new HashSet<>();
    private int serials;

    Fixture(TestDatabase db) {
        this.db = db;
    }

    long user(String name) throws SQLException {
        return insert(
                "INSERT INTO ck_users (username, password_hash, created_at) VALUES (?, 'x', CURRENT_TIMESTAMP)", name);
    }

    long device(long userId) throws SQLException {
        return insert(
                "INSERT INTO ck_devices (user_id, serial, name, created_at) VALUES (?, ?, 'box', CURRENT_TIMESTAMP)",
                userId,
                "serial-" + (++serials));
    }

    long account(long userId) throws SQLException {
        return insert(
                "INSERT INTO ck_accounts (user_id, provider, label, sealed_credentials, created_at) "
                        + "VALUES (?, 'local', 'mine', 'sealed', CURRENT_TIMESTAMP)",
                userId);
    }

    long container(long userId, long accountId, long deviceId, int snapshot) throws SQLException {
        return insert(
                "INSERT INTO ck_containers (user_id, account_id, device_id, folders, group_size, traverse_every_hours, "
                        + "snapshot, state, next_traversal_at, created_at) "
                        + "VALUES (?, ?, ?, '[\"/\"]', 100, 24, ?, 'READY', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                userId,
                accountId,
                deviceId,
                snapshot);
    }

    /** A file of the container's snapshot. */
    void file(long containerId, int snapshot, int groupNo, String path, long size, String sha256, boolean fetched)
            throws SQLException {
        entry(containerId, snapshot, groupNo, path, size, sha256, false, fetched ? 1 : 0);
    }

    /** A file of the container's snapshot that the device reported missing at the provider. */
    void missingFile(long containerId, int snapshot, int groupNo, String path, long size) throws SQLException {
        entry(containerId, snapshot, groupNo, path, size, null, false, 2);
    }

    /** A folder of the container's snapshot. */
    void folder(long containerId, int snapshot, int groupNo, String path, boolean fetched) throws SQLException {
        entry(containerId, snapshot, groupNo, path, 0, null, true, fetched ? 1 : 0);
    }

    private void entry(
            long containerId,
            int snapshot,
            int groupNo,
            String path,
            long size,
            String sha256,
            boolean directory,
            int fetched)
            throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement("INSERT INTO ck_entries (container_id, snapshot, "
                        + "path_key, path, size, modified_ms, hash_algorithm, hash_value, directory, fetched, group_no) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, containerId);
            insert.setInt(2, snapshot);
            insert.setString(3, PathKeys.of(path));
            insert.setString(4, path);
            insert.setLong(5, size);
            insert.setLong(6, T0.toEpochMilli());
            insert.setString(7, sha256 == null ? null : "sha256");
            insert.setString(8, sha256);
            insert.setInt(9, directory ? 1 : 0);
            insert.setInt(10, fetched);
            insert.setInt(11, groupNo);
            insert.executeUpdate();
        }
    }

    /**
     * What a merge that regroups does: the snapshot's rows copied to snapshot + 1 with new group
     * numbers (path → group), the old rows dropped, the container's snapshot bumped.
     */
    void regroup(long containerId, Map<String, Integer> newGroups) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            regroupIn(c, containerId, newGroups);
            c.commit();
        }
    }

    /** {@link #regroup} inside the caller's transaction, which it leaves open. */
    void regroupIn(Connection c, long containerId, Map<String, Integer> newGroups) throws SQLException {
        int old = snapshot(c, containerId);
        try (PreparedStatement copy = c.prepareStatement("INSERT INTO ck_entries (container_id, snapshot, path_key, "
                        + "path, size, modified_ms, hash_algorithm, hash_value, directory, fetched, group_no) "
                        + "SELECT container_id, snapshot + 1, path_key, path, size, modified_ms, hash_algorithm, "
                        + "hash_value, directory, fetched, group_no FROM ck_entries "
                        + "WHERE container_id = ? AND snapshot = ?");
                PreparedStatement move = c.prepareStatement("UPDATE ck_entries SET group_no = ? "
                        + "WHERE container_id = ? AND snapshot = ? AND path_key = ?");
                PreparedStatement drop =
                        c.prepareStatement("DELETE FROM ck_entries WHERE container_id = ? AND snapshot = ?");
                PreparedStatement bump =
                        c.prepareStatement("UPDATE ck_containers SET snapshot = snapshot + 1 WHERE id = ?")) {
            copy.setLong(1, containerId);
            copy.setInt(2, old);
            copy.executeUpdate();
            for (Map.Entry<String, Integer> moved : newGroups.entrySet()) {
                move.setInt(1, moved.getValue());
                move.setLong(2, containerId);
                move.setInt(3, old + 1);
                move.setString(4, PathKeys.of(moved.getKey()));
                move.executeUpdate();
            }
            drop.setLong(1, containerId);
            drop.setInt(2, old);
            drop.executeUpdate();
            bump.setLong(1, containerId);
            bump.executeUpdate();
        }
    }

    /** Locks a container's row the way the merge does first thing in its transaction. */
    static void lockLikeTheMerge(Connection c, long containerId) throws SQLException {
        try (PreparedStatement lock =
                c.prepareStatement("UPDATE ck_containers SET state = 'TRAVERSING' WHERE id = ?")) {
            lock.setLong(1, containerId);
            lock.executeUpdate();
        }
    }

    /** Whether the entry at that path of the container's current snapshot is marked fetched. */
    boolean fetched(long containerId, String path) throws SQLException {
        return flag(containerId, path) == 1;
    }

    /** The {@code fetched} column of the entry at that path of the container's current snapshot. */
    int flag(long containerId, String path) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement query = c.prepareStatement("SELECT e.fetched FROM ck_entries e "
                        + "JOIN ck_containers k ON k.id = e.container_id AND k.snapshot = e.snapshot "
                        + "WHERE e.container_id = ? AND e.path = ?")) {
            query.setLong(1, containerId);
            query.setString(2, path);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no entry " + path + " in container " + containerId);
                }
                return rs.getInt(1);
            }
        }
    }

    long fetchedCount() throws SQLException {
        return countFlagged(1);
    }

    long missingCount() throws SQLException {
        return countFlagged(2);
    }

    private long countFlagged(int flag) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM ck_entries WHERE fetched = ?")) {
            query.setInt(1, flag);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** free_bytes, state and last_seen_at of a device row. */
    Object[] deviceRow(long deviceId) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement query =
                        c.prepareStatement("SELECT free_bytes, state, last_seen_at FROM ck_devices WHERE id = ?")) {
            query.setLong(1, deviceId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                Timestamp seen = rs.getTimestamp(3);
                return new Object[] {rs.getObject(1), rs.getString(2), seen == null ? null : seen.toInstant()};
            }
        }
    }

    void breakAccount(long accountId) {
        brokenAccounts.add(accountId);
    }

    private static int snapshot(Connection c, long containerId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT snapshot FROM ck_containers WHERE id = ?")) {
            query.setLong(1, containerId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long insert(String sql, Object... values) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    // --- Accounts: only what the task groups use -------------------------------------------------

    @Override
    public AccountCredentials credentials(long accountId) throws AccountsException {
        if (brokenAccounts.contains(accountId)) {
            throw new AccountsException(AccountsException.Reason.NOT_FOUND, "no account " + accountId);
        }
        return new AccountCredentials("local", Map.of("root", "/srv/account-" + accountId));
    }

    @Override
    public List<Container> containersOfDevice(long deviceId) {
        // Deliberately newest first: the task groups must order by id themselves.
        try (Connection c = db.connect();
                PreparedStatement query = c.prepareStatement("SELECT id, user_id, account_id, device_id, snapshot "
                        + "FROM ck_containers WHERE device_id = ? ORDER BY id DESC")) {
            query.setLong(1, deviceId);
            List<Container> containers = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    containers.add(new Container(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            "local",
                            rs.getLong(4),
                            List.of("/"),
                            100,
                            24,
                            rs.getInt(5),
                            "READY",
                            T0,
                            null,
                            null));
                }
            }
            return containers;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
