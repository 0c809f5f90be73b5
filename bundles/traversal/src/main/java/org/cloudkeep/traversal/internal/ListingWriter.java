package org.cloudkeep.traversal.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.PathKeys;

/**
 * Writes a traversal's listing into {@code ck_traversal_entries}, in arrival order ({@code seq}
 * from 1), one committed batch at a time. The folders it has written go into {@code
 * ck_traversal_folders} too: they are the walk's queue, and {@link #foldersAfter} reads the next few
 * back. A {@linkplain #keyed keyed} writer (a change replay, which looks rows up by path) also writes
 * each row's key into {@code ck_traversal_keys}; a walk does not pay for that index (migration V3).
 *
 * <p>A walk's writer commits each full batch on a thread of its own while the walk goes on listing
 * and parsing the next one: the provider's answers and the database's writes then use both CPUs.
 * At most two batches are in memory, the one being written and the one being filled; {@link
 * #flush()} waits for both. A keyed writer writes on the caller's thread, so that a lookup right
 * after a flush sees every row.
 */
final class ListingWriter implements AutoCloseable {

    /** The widths of the listing's columns. */
    static final int MAX_PATH = 8000;

    static final int MAX_HASH_ALGORITHM = 64;
    static final int MAX_HASH_VALUE = 256;

    private static final String INSERT = "INSERT INTO ck_traversal_entries (traversal_id, seq, path_key, path, size,"
            + " modified_ms, hash_algorithm, hash_value, directory) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_FOLDER =
            "INSERT INTO ck_traversal_folders (traversal_id, seq, path) VALUES (?, ?, ?)";
    private static final String INSERT_KEY =
            "INSERT INTO ck_traversal_keys (traversal_id, seq, path_key) VALUES (?, ?, ?)";
    private static final String PROGRESS = "UPDATE ck_traversals SET entries = ? WHERE id = ?";
    private static final String FOLDERS =
            "SELECT seq, path FROM ck_traversal_folders WHERE traversal_id = ? AND seq > ? ORDER BY seq";

    private final Database database;
    private final long traversalId;
    private final int batchSize;
    private final boolean keyed;
    /** Writes a walk's batches; {@code null} for a keyed writer, which writes on the caller's thread. */
    private final ExecutorService background;

    private List<Entry> batch;
    /** Rows handed to the database so far (written, or being written). */
    private long handedOver;
    /** The batch being written in the background, if any. */
    private Future<?> writing;

    /** A writer for a walk. */
    ListingWriter(Database database, long traversalId, int batchSize) {
        this(database, traversalId, batchSize, false);
    }

    private ListingWriter(Database database, long traversalId, int batchSize, boolean keyed) {
        this.database = database;
        this.traversalId = traversalId;
        this.batchSize = batchSize;
        this.keyed = keyed;
        this.batch = new ArrayList<>(batchSize);
        this.background = keyed
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread thread = new Thread(r, "cloudkeep-listing-" + traversalId);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** A writer whose rows can be looked up by key ({@code ck_traversal_keys}), for a change replay. */
    static ListingWriter keyed(Database database, long traversalId, int batchSize) {
        return new ListingWriter(database, traversalId, batchSize, true);
    }

    /**
     * Adds an entry; hands the batch to the database when it is full.
     *
     * @throws TraversalFailure when the path is longer than the store holds
     * @throws SQLException when an earlier batch could not be written
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
            handOver();
        }
    }

    /** Writes and commits everything added so far; on return every row is in the database. */
    void flush() throws SQLException {
        handOver();
        awaitWriting();
    }

    /** Waits for a batch still being written (its outcome no longer matters) and stops the writing thread. */
    @Override
    public void close() {
        try {
            awaitWriting();
        } catch (SQLException e) {
            // The traversal has failed or stopped already; its listing is deleted either way.
        }
        if (background != null) {
            background.shutdown();
        }
    }

    /** Starts writing the batch (after the one before it is written), in the background for a walk. */
    private void handOver() throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        awaitWriting();
        List<Entry> rows = batch;
        long first = handedOver;
        batch = new ArrayList<>(batchSize);
        handedOver += rows.size();
        if (background == null) {
            write(first, rows);
        } else {
            writing = background.submit(() -> {
                write(first, rows);
                return null;
            });
        }
    }

    /**
     * Waits for the batch being written. Not interruptible: a stopping traversal deletes its listing
     * next, which must not race the last batch's insert. A batch takes well under a second.
     */
    private void awaitWriting() throws SQLException {
        Future<?> pending = writing;
        if (pending == null) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException sql) {
                        throw sql;
                    }
                    throw new SQLException("writing the listing failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            writing = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes and commits rows {@code first + 1} onward, and the traversal's progress. */
    private void write(long first, List<Entry> rows) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT);
                    PreparedStatement folder = c.prepareStatement(INSERT_FOLDER);
                    PreparedStatement key = keyed ? c.prepareStatement(INSERT_KEY) : null) {
                long n = first;
                boolean folders = false;
                for (Entry entry : rows) {
                    String pathKey = PathKeys.of(entry.path());
                    insert.setLong(1, traversalId);
                    insert.setLong(2, ++n);
                    insert.setString(3, pathKey);
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
                    if (entry.directory()) {
                        folder.setLong(1, traversalId);
                        folder.setLong(2, n);
                        folder.setString(3, entry.path());
                        folder.addBatch();
                        folders = true;
                    }
                    if (key != null) {
                        key.setLong(1, traversalId);
                        key.setLong(2, n);
                        key.setString(3, pathKey);
                        key.addBatch();
                    }
                }
                insert.executeBatch();
                if (folders) {
                    folder.executeBatch();
                }
                if (key != null) {
                    key.executeBatch();
                }
            }
            try (PreparedStatement progress = c.prepareStatement(PROGRESS)) {
                progress.setLong(1, first + rows.size());
                progress.setLong(2, traversalId);
                progress.executeUpdate();
            }
            return null;
        });
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

    /** Rows added so far (committed, being written or batched). */
    long written() {
        return handedOver + batch.size();
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
