package org.cloudkeep.traversal.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.PathKeys;

/**
 * Writes a traversal's listing into {@code ck_traversal_entries}, in arrival order ({@code seq}
 * from 1), one committed batch at a time; at most one batch is held in memory. The folders it has
 * written are the walk's queue: {@link #foldersAfter} reads the next few back.
 */
final class ListingWriter {

    /** The widths of the listing's columns. */
    static final int MAX_PATH = 8000;

    static final int MAX_HASH_ALGORITHM = 64;
    static final int MAX_HASH_VALUE = 256;

    private static final String INSERT = "INSERT INTO ck_traversal_entries (traversal_id, seq, path_key, path, size,"
            + " modified_ms, hash_algorithm, hash_value, directory) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PROGRESS = "UPDATE ck_traversals SET entries = ? WHERE id = ?";
    private static final String FOLDERS = "SELECT seq, path FROM ck_traversal_entries"
            + " WHERE traversal_id = ? AND directory = 1 AND seq > ? ORDER BY seq";

    private final Database database;
    private final long traversalId;
    private final int batchSize;
    private final List<Entry> batch;
    private long seq;

    ListingWriter(Database database, long traversalId, int batchSize) {
        this.database = database;
        this.traversalId = traversalId;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
    }

    /**
     * Adds an entry; writes and commits the batch when it is full.
     *
     * @throws TraversalFailure when the path is longer than the store holds
     */
    void add(Entry entry) throws SQLException, TraversalFailure {
        if (entry.path().length() > MAX_PATH) {
            throw new TraversalFailure(
                    "the path " + EntryPaths.printable(entry.path().substring(0, 200))
                            + "... is " + entry.path().length() + " characters long; the store holds paths of at most "
                            + MAX_PATH);
        }
        batch.add(entry);
        if (batch.size() >= batchSize) {
            flush();
        }
    }

    /** Writes and commits what is batched. */
    void flush() throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        long first = seq;
        database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                long n = first;
                for (Entry entry : batch) {
                    insert.setLong(1, traversalId);
                    insert.setLong(2, ++n);
                    insert.setString(3, PathKeys.of(entry.path()));
                    insert.setString(4, entry.path());
                    insert.setLong(5, entry.size());
                    insert.setLong(6, entry.modified().toEpochMilli());
                    if (storable(entry)) {
                        insert.setString(7, entry.hash().algorithm());
                        insert.setString(8, entry.hash().value());
                    } else {
                        insert.setNull(7, Types.VARCHAR);
                        insert.setNull(8, Types.VARCHAR);
                    }
                    insert.setShort(9, (short) (entry.directory() ? 1 : 0));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement progress = c.prepareStatement(PROGRESS)) {
                progress.setLong(1, first + batch.size());
                progress.setLong(2, traversalId);
                progress.executeUpdate();
            }
            return null;
        });
        seq = first + batch.size();
        batch.clear();
    }

    /**
     * Whether the batch not yet written holds the path or an entry below it: such a batch must be
     * {@linkplain #flush() written} before rows of that path are replaced or deleted.
     */
    boolean batches(String path) {
        for (Entry entry : batch) {
            if (entry.path().equals(path) || Traverser.below(entry.path(), path)) {
                return true;
            }
        }
        return false;
    }

    /** Rows written so far (committed or batched). */
    long written() {
        return seq + batch.size();
    }

    /**
     * The next folders of the walk's queue: written after {@code afterSeq}, in arrival order, at most
     * {@code max}. Call {@link #flush()} first, so that every folder written is in the database.
     */
    List<Folder> foldersAfter(long afterSeq, int max) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement q = c.prepareStatement(FOLDERS)) {
                q.setMaxRows(max);
                q.setLong(1, traversalId);
                q.setLong(2, afterSeq);
                List<Folder> folders = new ArrayList<>(max);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        folders.add(new Folder(rs.getLong(1), rs.getString(2)));
                    }
                }
                return folders;
            }
        });
    }

    /** A hash the columns can hold; a longer one is left out, and size and time decide instead. */
    private static boolean storable(Entry entry) {
        return entry.hash() != null
                && entry.hash().algorithm().length() <= MAX_HASH_ALGORITHM
                && entry.hash().value().length() <= MAX_HASH_VALUE;
    }

    /** A folder of the queue: where it is in the listing, and its path. */
    record Folder(long seq, String path) {}
}
