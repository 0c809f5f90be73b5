package org.cloudkeep.merge.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Writes the entries of a new snapshot in path-key order through one prepared INSERT, a JDBC batch
 * at a time, numbering task groups as it goes: the entry at ordinal {@code i} (from 0, folders
 * included) is in group {@code i / groupSize + 1}.
 */
final class SnapshotWriter {

    private final PreparedStatement insert;
    private final long containerId;
    private final int snapshot;
    private final int groupSize;
    private final int batchSize;
    private long ordinal;
    private int pending;

    SnapshotWriter(PreparedStatement insert, long containerId, int snapshot, int groupSize, int batchSize) {
        this.insert = insert;
        this.containerId = containerId;
        this.snapshot = snapshot;
        this.groupSize = groupSize;
        this.batchSize = batchSize;
    }

    void write(Row row, boolean fetched) throws SQLException {
        insert.setLong(1, containerId);
        insert.setInt(2, snapshot);
        insert.setString(3, row.key());
        insert.setString(4, row.path());
        insert.setLong(5, row.size());
        insert.setLong(6, row.modifiedMs());
        setNullable(7, row.hashAlgorithm());
        setNullable(8, row.hashValue());
        insert.setShort(9, (short) (row.directory() ? 1 : 0));
        insert.setShort(10, fetched ? KeyedCursor.FETCHED : 0);
        insert.setInt(11, Math.toIntExact(ordinal / groupSize + 1));
        insert.addBatch();
        ordinal++;
        if (++pending == batchSize) {
            flush();
        }
    }

    /** Sends what is batched. */
    void flush() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            pending = 0;
        }
    }

    /** Entries written. */
    long entries() {
        return ordinal;
    }

    /** Task groups of the entries written. */
    int groups() {
        return Math.toIntExact((ordinal + groupSize - 1) / groupSize);
    }

    private void setNullable(int index, String value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.VARCHAR);
        } else {
            insert.setString(index, value);
        }
    }
}
