package org.cloudkeep.fetcher.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.PathKeys;

/**
 * The groups in hand, one per container, in the device's database: all of the fetcher's SQL.
 * Credentials are never written here (decision 0011).
 */
final class HeldGroups {

    /** A container's group in hand. */
    record Held(long containerId, int groupNo, String provider) {}

    private static final int BATCH = 500;
    private static final String COLUMNS =
            "container_id, path_key, path, size, modified_ms, hash_algorithm, hash_value, directory, durable_bytes";

    private final Database database;
    private final AtomicLong receipts = new AtomicLong();

    HeldGroups(Database database) {
        this.database = database;
    }

    /** Forgets answers a stopped process was still reading. */
    void clearIncoming() throws SQLException {
        database.read(c -> c.createStatement().executeUpdate("DELETE FROM ck_incoming_entries"));
    }

    /** Writes a group answer's entries in batches as they are read; close it when the answer ends. */
    IncomingWriter incoming() throws SQLException {
        return new IncomingWriter(database.dataSource().getConnection());
    }

    /**
     * Makes the group in the answer the container's group in hand. Entries held already with the
     * same content keep their progress (a partial download);
     * held entries the answer no longer lists are forgotten and returned, so that their partial
     * downloads can be deleted.
     */
    List<HeldEntry> adopt(Wire.Group group) throws SQLException {
        return database.inTransaction(c -> {
            long container = group.containerId();
            List<HeldEntry> dropped = new ArrayList<>();
            try (PreparedStatement gone = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM ck_held_entries h WHERE h.container_id = ? AND NOT EXISTS ("
                    + "SELECT 1 FROM ck_incoming_entries i WHERE i.receipt = ? AND i.path_key = h.path_key"
                    + " AND i.size = h.size AND i.modified_ms = h.modified_ms AND i.directory = h.directory"
                    + " AND COALESCE(i.hash_algorithm, '') = COALESCE(h.hash_algorithm, '')"
                    + " AND COALESCE(i.hash_value, '') = COALESCE(h.hash_value, ''))")) {
                gone.setLong(1, container);
                gone.setLong(2, group.receipt());
                try (ResultSet rows = gone.executeQuery()) {
                    while (rows.next()) {
                        dropped.add(entry(rows));
                    }
                }
            }
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM ck_held_entries WHERE container_id = ? AND path_key = ?")) {
                for (HeldEntry entry : dropped) {
                    delete.setLong(1, container);
                    delete.setString(2, entry.pathKey());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ck_held_entries (" + COLUMNS + ") "
                    + "SELECT ?, i.path_key, i.path, i.size, i.modified_ms, i.hash_algorithm, i.hash_value,"
                    + " i.directory, 0 FROM ck_incoming_entries i WHERE i.receipt = ? AND NOT EXISTS ("
                    + "SELECT 1 FROM ck_held_entries h WHERE h.container_id = ? AND h.path_key = i.path_key)")) {
                insert.setLong(1, container);
                insert.setLong(2, group.receipt());
                insert.setLong(3, container);
                insert.executeUpdate();
            }
            update(c, "DELETE FROM ck_incoming_entries WHERE receipt = ?", group.receipt());
            update(c, "DELETE FROM ck_held_groups WHERE container_id = ?", container);
            try (PreparedStatement held = c.prepareStatement(
                    "INSERT INTO ck_held_groups (container_id, group_no, provider, received_at) VALUES (?, ?, ?, ?)")) {
                held.setLong(1, container);
                held.setInt(2, group.groupNo());
                held.setString(3, group.provider());
                held.setTimestamp(4, Timestamp.from(Instant.now()));
                held.executeUpdate();
            }
            return dropped;
        });
    }

    /** Every group in hand, by container. */
    List<Held> held() throws SQLException {
        return database.read(c -> {
            List<Held> held = new ArrayList<>();
            try (ResultSet rows = c.createStatement()
                    .executeQuery(
                            "SELECT container_id, group_no, provider FROM ck_held_groups ORDER BY container_id")) {
                while (rows.next()) {
                    held.add(new Held(rows.getLong(1), rows.getInt(2), rows.getString(3)));
                }
            }
            return held;
        });
    }

    /** Up to {@code limit} entries still to fetch, after {@code afterKey} in key order ("" for the first page). */
    List<HeldEntry> wanted(long containerId, String afterKey, int limit) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM ck_held_entries"
                    + " WHERE container_id = ? AND path_key > ? ORDER BY path_key")) {
                query.setLong(1, containerId);
                query.setString(2, afterKey);
                query.setMaxRows(limit);
                return entries(query);
            }
        });
    }

    /** Counts of the group in hand: {files, bytes} not yet reported. */
    long[] totals(long containerId) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size), 0)"
                    + " FROM ck_held_entries WHERE container_id = ? AND directory = 0")) {
                query.setLong(1, containerId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return new long[] {rows.getLong(1), rows.getLong(2)};
                }
            }
        });
    }

    void checkpoint(long containerId, String pathKey, long durableBytes) throws SQLException {
        database.read(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE ck_held_entries SET durable_bytes = ? WHERE container_id = ? AND path_key = ?")) {
                update.setLong(1, durableBytes);
                update.setLong(2, containerId);
                update.setString(3, pathKey);
                return update.executeUpdate();
            }
        });
    }

    /** The cloud took these reports: the entries are done. */
    void forget(long containerId, List<String> pathKeys) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM ck_held_entries WHERE container_id = ? AND path_key = ?")) {
                for (String key : pathKeys) {
                    delete.setLong(1, containerId);
                    delete.setString(2, key);
                    delete.addBatch();
                }
                return delete.executeBatch().length;
            }
        });
    }

    /**
     * Drops a container's group in hand; returns the entries that were still wanted, so that their
     * partial downloads can be deleted.
     */
    List<HeldEntry> drop(long containerId) throws SQLException {
        return database.inTransaction(c -> {
            List<HeldEntry> wanted;
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM ck_held_entries" + " WHERE container_id = ? AND directory = 0")) {
                query.setLong(1, containerId);
                wanted = entries(query);
            }
            update(c, "DELETE FROM ck_held_entries WHERE container_id = ?", containerId);
            update(c, "DELETE FROM ck_held_groups WHERE container_id = ?", containerId);
            return wanted;
        });
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static List<HeldEntry> entries(PreparedStatement query) throws SQLException {
        List<HeldEntry> entries = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                entries.add(entry(rows));
            }
        }
        return entries;
    }

    private static HeldEntry entry(ResultSet rows) throws SQLException {
        String algorithm = rows.getString("hash_algorithm");
        String value = rows.getString("hash_value");
        return new HeldEntry(
                rows.getLong("container_id"),
                rows.getString("path_key"),
                rows.getString("path"),
                rows.getLong("size"),
                Instant.ofEpochMilli(rows.getLong("modified_ms")),
                algorithm == null || value == null ? null : new ContentHash(algorithm, value),
                rows.getInt("directory") != 0,
                rows.getLong("durable_bytes"));
    }

    /** Streams one answer's entries into {@code ck_incoming_entries}, committing every batch. */
    final class IncomingWriter implements CloudClient.GroupSink, AutoCloseable {

        private final Connection connection;
        private final PreparedStatement insert;
        private int pending;

        private IncomingWriter(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(true);
            this.insert = connection.prepareStatement("INSERT INTO ck_incoming_entries (receipt, path_key, path, size,"
                    + " modified_ms, hash_algorithm, hash_value, directory) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        }

        @Override
        public long open() {
            return receipts.incrementAndGet();
        }

        @Override
        public void add(long receipt, Wire.Entry entry) throws SQLException {
            insert.setLong(1, receipt);
            insert.setString(2, PathKeys.of(entry.path()));
            insert.setString(3, entry.path());
            insert.setLong(4, entry.size());
            insert.setLong(5, entry.modified().toEpochMilli());
            insert.setString(6, entry.hash() == null ? null : entry.hash().algorithm());
            insert.setString(7, entry.hash() == null ? null : entry.hash().value());
            insert.setInt(8, entry.directory() ? 1 : 0);
            insert.addBatch();
            if (++pending == BATCH) {
                flush();
            }
        }

        @Override
        public void close(long receipt) throws SQLException {
            flush();
        }

        private void flush() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                insert.close();
            } finally {
                connection.close();
            }
        }
    }
}
