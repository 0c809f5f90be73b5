package org.cloudkeep.merge.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudkeep.store.PathKeys;
import org.cloudkeep.store.internal.TestDatabase;

/**
 * Plain-SQL rows for tests of the merge and the traversal: a user, account, device and container,
 * traversals and their listings, and reads of snapshots and containers. Shared with the traversal's
 * tests through this module's test jar.
 */
public final class SnapshotFixture {

    private final TestDatabase database;
    private final AtomicInteger names = new AtomicInteger();

    public SnapshotFixture(TestDatabase database) {
        this.database = database;
    }

    /** A container of a new user's new account (of provider {@code memory}) over {@code /}, due now. */
    public long container(int groupSize) throws SQLException {
        return container("memory", "[\"/\"]", groupSize, 24, Instant.now());
    }

    /** A container of a new user's new account at a provider, WAITING, due at {@code due}. */
    public long container(String provider, String foldersJson, int groupSize, int everyHours, Instant due)
            throws SQLException {
        int n = names.incrementAndGet();
        Timestamp now = Timestamp.from(Instant.now());
        long user = insert(
                "INSERT INTO ck_users (username, password_hash, created_at) VALUES (?, ?, ?)", "user" + n, "x", now);
        long account = insert(
                "INSERT INTO ck_accounts (user_id, provider, label, sealed_credentials, created_at) VALUES (?, ?, ?, ?, ?)",
                user,
                provider,
                "account " + n,
                "sealed",
                now);
        long device = insert(
                "INSERT INTO ck_devices (user_id, serial, name, created_at) VALUES (?, ?, ?, ?)",
                user,
                "serial-" + n + "-" + System.nanoTime(),
                "device " + n,
                now);
        return insert(
                "INSERT INTO ck_containers (user_id, account_id, device_id, folders, group_size,"
                        + " traverse_every_hours, state, next_traversal_at, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'WAITING', ?, ?)",
                user,
                account,
                device,
                foldersJson,
                groupSize,
                everyHours,
                Timestamp.from(due),
                now);
    }

    /** The account of a container. */
    public long accountOf(long containerId) throws SQLException {
        return number("SELECT account_id FROM ck_containers WHERE id = ?", containerId);
    }

    /** A RUNNING traversal of a container. */
    public long traversal(long containerId) throws SQLException {
        return insert(
                "INSERT INTO ck_traversals (container_id, state, started_at) VALUES (?, 'RUNNING', ?)",
                containerId,
                Timestamp.from(Instant.now()));
    }

    /** Writes a traversal's listing as a traversal would: seq from 1, in arrival order. */
    public Listing listing(long traversalId) throws SQLException {
        return new Listing(traversalId);
    }

    /** A snapshot's rows by path, in path-key order. */
    public Map<String, EntryRow> entries(long containerId, int snapshot) throws SQLException {
        Map<String, EntryRow> rows = new LinkedHashMap<>();
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement(
                        "SELECT path, size, modified_ms, hash_algorithm, hash_value, directory, fetched, group_no,"
                                + " path_key FROM ck_entries WHERE container_id = ? AND snapshot = ? ORDER BY path_key")) {
            q.setLong(1, containerId);
            q.setInt(2, snapshot);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    EntryRow row = new EntryRow(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getShort(6) != 0,
                            rs.getShort(7) != 0,
                            rs.getInt(8),
                            rs.getString(9));
                    rows.put(row.path(), row);
                }
            }
        }
        return rows;
    }

    /** Marks entries of a snapshot fetched, as a device's report would. */
    public void markFetched(long containerId, int snapshot, String... paths) throws SQLException {
        for (String path : paths) {
            int n = update(
                    "UPDATE ck_entries SET fetched = 1 WHERE container_id = ? AND snapshot = ? AND path_key = ?",
                    containerId,
                    snapshot,
                    PathKeys.of(path));
            if (n != 1) {
                throw new IllegalStateException("no entry " + path + " in snapshot " + snapshot);
            }
        }
    }

    /** Marks entries of a snapshot missing at the provider (fetched = 2), as a device's report would. */
    public void markMissing(long containerId, int snapshot, String... paths) throws SQLException {
        for (String path : paths) {
            int n = update(
                    "UPDATE ck_entries SET fetched = 2 WHERE container_id = ? AND snapshot = ? AND path_key = ?",
                    containerId,
                    snapshot,
                    PathKeys.of(path));
            if (n != 1) {
                throw new IllegalStateException("no entry " + path + " in snapshot " + snapshot);
            }
        }
    }

    /** The {@code fetched} column of an entry as stored: 0, 1 or 2. */
    public long flag(long containerId, int snapshot, String path) throws SQLException {
        return number(
                "SELECT fetched FROM ck_entries WHERE container_id = ? AND snapshot = ? AND path_key = ?",
                containerId,
                snapshot,
                PathKeys.of(path));
    }

    /** A container's row as the core sees it. */
    public ContainerRow containerRow(long containerId) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement("SELECT snapshot, state, failures, last_error,"
                        + " next_traversal_at, last_finished_at, last_added, last_changed, last_removed,"
                        + " last_unchanged FROM ck_containers WHERE id = ?")) {
            q.setLong(1, containerId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no container " + containerId);
                }
                Timestamp finished = rs.getTimestamp(6);
                return new ContainerRow(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        finished == null ? null : finished.toInstant(),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getLong(10));
            }
        }
    }

    /** A traversal's row. */
    public TraversalRow traversalRow(long traversalId) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement(
                        "SELECT container_id, state, finished_at, entries, error FROM ck_traversals WHERE id = ?")) {
            q.setLong(1, traversalId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no traversal " + traversalId);
                }
                Timestamp finished = rs.getTimestamp(3);
                return new TraversalRow(
                        traversalId,
                        rs.getLong(1),
                        rs.getString(2),
                        finished == null ? null : finished.toInstant(),
                        rs.getLong(4),
                        rs.getString(5));
            }
        }
    }

    /** The latest traversal of a container, or {@code null} when it has none. */
    public TraversalRow lastTraversal(long containerId) throws SQLException {
        long id = number("SELECT COALESCE(MAX(id), 0) FROM ck_traversals WHERE container_id = ?", containerId);
        return id == 0 ? null : traversalRow(id);
    }

    /** Rows of a traversal's listing, in all of its tables (entries, the folders' queue, the replay's keys). */
    public long listingRows(long traversalId) throws SQLException {
        return number("SELECT COUNT(*) FROM ck_traversal_entries WHERE traversal_id = ?", traversalId)
                + number("SELECT COUNT(*) FROM ck_traversal_folders WHERE traversal_id = ?", traversalId)
                + number("SELECT COUNT(*) FROM ck_traversal_keys WHERE traversal_id = ?", traversalId);
    }

    /** The single number a query answers. */
    public long number(String sql, Object... params) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs an update; answers the rows it touched. */
    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement u = c.prepareStatement(sql)) {
            bind(u, params);
            return u.executeUpdate();
        }
    }

    private long insert(String sql, Object... params) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement u = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(u, params);
            u.executeUpdate();
            try (ResultSet keys = u.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                statement.setObject(i + 1, p);
            }
        }
    }

    /** A listing being written, batched; close to send the last batch. */
    public final class Listing implements AutoCloseable {

        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement folder;
        private final long traversalId;
        private long seq;
        private int pending;

        private Listing(long traversalId) throws SQLException {
            this.traversalId = traversalId;
            this.connection = database.connect();
            this.insert = connection.prepareStatement("INSERT INTO ck_traversal_entries (traversal_id, seq,"
                    + " path_key, path, size, modified_ms, hash_algorithm, hash_value, directory)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            this.folder = connection.prepareStatement(
                    "INSERT INTO ck_traversal_folders (traversal_id, seq, path) VALUES (?, ?, ?)");
        }

        /** A file without a hash. */
        public Listing file(String path, long size, long modifiedMs) throws SQLException {
            return add(path, size, modifiedMs, null, null, false);
        }

        /** A file with a hash. */
        public Listing file(String path, long size, long modifiedMs, String algorithm, String hash)
                throws SQLException {
            return add(path, size, modifiedMs, algorithm, hash, false);
        }

        /** A folder. */
        public Listing folder(String path, long modifiedMs) throws SQLException {
            return add(path, 0, modifiedMs, null, null, true);
        }

        public Listing add(String path, long size, long modifiedMs, String algorithm, String hash, boolean directory)
                throws SQLException {
            insert.setLong(1, traversalId);
            insert.setLong(2, ++seq);
            insert.setString(3, PathKeys.of(path));
            insert.setString(4, path);
            insert.setLong(5, size);
            insert.setLong(6, modifiedMs);
            if (algorithm == null) {
                insert.setNull(7, Types.VARCHAR);
                insert.setNull(8, Types.VARCHAR);
            } else {
                insert.setString(7, algorithm);
                insert.setString(8, hash);
            }
            insert.setShort(9, (short) (directory ? 1 : 0));
            insert.addBatch();
            if (directory) {
                // as the traversal's ListingWriter writes it: folders are the walk's queue too
                folder.setLong(1, traversalId);
                folder.setLong(2, seq);
                folder.setString(3, path);
                folder.executeUpdate();
            }
            if (++pending == 1000) {
                insert.executeBatch();
                pending = 0;
            }
            return this;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (pending > 0) {
                    insert.executeBatch();
                }
            } finally {
                insert.close();
                folder.close();
                connection.close();
            }
        }
    }

    /** One row of {@code ck_entries}. */
    public record EntryRow(
            String path,
            long size,
            long modifiedMs,
            String hashAlgorithm,
            String hashValue,
            boolean directory,
            boolean fetched,
            int groupNo,
            String pathKey) {}

    /** What a container row says. */
    public record ContainerRow(
            int snapshot,
            String state,
            int failures,
            String lastError,
            Instant nextTraversalAt,
            Instant lastFinishedAt,
            long lastAdded,
            long lastChanged,
            long lastRemoved,
            long lastUnchanged) {}

    /** What a traversal row says. */
    public record TraversalRow(
            long id, long containerId, String state, Instant finishedAt, long entries, String error) {}
}
