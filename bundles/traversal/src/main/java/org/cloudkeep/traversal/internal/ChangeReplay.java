package org.cloudkeep.traversal.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.ChangePage;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.PathKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a one-folder container's listing from its current snapshot and the changes its provider
 * reports since the cursor stored with that snapshot ({@link
 * org.cloudkeep.api.Capability#CHANGE_CURSOR}), without listing any folder.
 *
 * <p>First the snapshot's rows are copied into the listing, read a batch at a time in {@code
 * path_key} order and written through a {@linkplain ListingWriter#keyed keyed} {@link ListingWriter}. Then the changes are applied in
 * the order the provider gives them, oldest first: a deleted path loses its row and, when that row
 * is a folder, every row below it; a changed or added entry replaces the row of its path (deleted,
 * then written again). Only changes at or below the container folder count; the others are
 * ignored. Memory holds one batch of rows and one page of changes, however big the container.
 *
 * <p>When the provider no longer accepts the cursor ({@link PermanentProviderException} or {@link
 * NotFoundException} from {@code changesSince}), or reports the container folder itself deleted or
 * turned into a file, {@link #run} answers {@code null}: the caller deletes the partial listing
 * and walks the container in full instead.
 */
final class ChangeReplay {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeReplay.class);

    private static final String SNAPSHOT_PAGE = "SELECT path_key, path, size, modified_ms, hash_algorithm, hash_value,"
            + " directory FROM ck_entries WHERE container_id = ? AND snapshot = ? AND path_key > ? ORDER BY path_key";
    // The listing's rows of a key, through ck_traversal_keys (written by a keyed ListingWriter). A key
    // whose row was deleted below a folder stays behind; the join ignores it.
    private static final String ROW = "SELECT MAX(e.directory) FROM ck_traversal_keys k JOIN ck_traversal_entries e"
            + " ON e.traversal_id = k.traversal_id AND e.seq = k.seq WHERE k.traversal_id = ? AND k.path_key = ?";
    private static final String DELETE_ROW = "DELETE FROM ck_traversal_entries WHERE traversal_id = ? AND seq IN"
            + " (SELECT seq FROM ck_traversal_keys WHERE traversal_id = ? AND path_key = ?)";
    private static final String DELETE_KEY = "DELETE FROM ck_traversal_keys WHERE traversal_id = ? AND path_key = ?";
    private static final String DELETE_BELOW =
            "DELETE FROM ck_traversal_entries WHERE traversal_id = ? AND path LIKE ? ESCAPE '!'";

    private final long containerId;
    private final long traversalId;
    private final Database database;
    private final ProviderSession session;
    private final ProviderCalls calls;
    private final ListingWriter listing;
    private final int batchSize;
    private long applied;
    private long ignored;

    ChangeReplay(
            long containerId,
            long traversalId,
            Database database,
            ProviderSession session,
            ProviderCalls calls,
            ListingWriter listing,
            int batchSize) {
        this.containerId = containerId;
        this.traversalId = traversalId;
        this.database = database;
        this.session = session;
        this.calls = calls;
        this.listing = listing;
        this.batchSize = batchSize;
    }

    /**
     * Writes the listing of a container folder: the snapshot's rows with the changes since the
     * cursor applied.
     *
     * @param folder the container's one folder
     * @param snapshot the container's current snapshot, which the cursor belongs to
     * @param cursor the cursor stored with that snapshot
     * @return the cursor to store once the listing is merged, or {@code null} when the changes cannot
     *     be used (the cursor was rejected): then the partial listing is left for the caller to delete
     *     before it walks the folder in full
     */
    String run(String folder, int snapshot, String cursor) throws TraversalFailure, SQLException, InterruptedException {
        long copied = copySnapshot(snapshot);
        String next = cursor;
        ChangePage page;
        do {
            String from = next;
            try {
                page = calls.call("asking for the changes since the last traversal", () -> session.changesSince(from));
            } catch (NotFoundException e) {
                rejected(e.getMessage());
                return null;
            } catch (TraversalFailure e) {
                if (e.getCause() instanceof PermanentProviderException rejected) {
                    rejected(rejected.getMessage());
                    return null;
                }
                throw e;
            }
            for (Change change : page.changes()) {
                if (!apply(folder, change)) {
                    LOG.info(
                            "Container {}: the provider reports the container's folder {} deleted or replaced by a"
                                    + " file; it is walked in full instead",
                            containerId,
                            Walk.quote(folder));
                    return null;
                }
            }
            next = page.cursor();
        } while (page.more());
        listing.flush();
        LOG.info(
                "Container {}: traversal {} took the {} entries of snapshot {} and applied {} changes since the last"
                        + " traversal ({} outside the container's folder ignored); nothing was listed",
                containerId,
                traversalId,
                copied,
                snapshot,
                applied,
                ignored);
        return next;
    }

    private void rejected(String reason) {
        LOG.info(
                "Container {}: the provider no longer accepts the change cursor of the last traversal ({}); the"
                        + " container is listed in full this time",
                containerId,
                reason);
    }

    /** Copies the snapshot's rows into the listing, a batch at a time, in key order. */
    private long copySnapshot(int snapshot) throws SQLException, TraversalFailure, InterruptedException {
        long copied = 0;
        String after = "";
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while copying the snapshot into the listing");
            }
            String from = after;
            List<Entry> page = database.read(c -> {
                try (PreparedStatement q = c.prepareStatement(SNAPSHOT_PAGE)) {
                    q.setMaxRows(batchSize);
                    q.setFetchSize(batchSize);
                    q.setLong(1, containerId);
                    q.setInt(2, snapshot);
                    q.setString(3, from);
                    List<Entry> rows = new ArrayList<>(batchSize);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rows.add(entry(rs));
                        }
                    }
                    return rows;
                }
            });
            if (page.isEmpty()) {
                return copied;
            }
            for (Entry entry : page) {
                listing.add(entry);
            }
            copied += page.size();
            after = PathKeys.of(page.get(page.size() - 1).path());
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        String algorithm = rs.getString(5);
        String value = rs.getString(6);
        ContentHash hash = algorithm != null && value != null ? new ContentHash(algorithm, value) : null;
        return new Entry(
                rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)), hash, rs.getShort(7) != 0);
    }

    /**
     * Applies one change to the listing.
     *
     * @return false when the change deletes the container folder or makes it a file
     */
    private boolean apply(String folder, Change change) throws SQLException, TraversalFailure {
        String path = change.path();
        if (!Traverser.below(path, folder)) {
            if (path.equals(folder)) {
                return !change.deleted() && change.entry().directory();
            }
            ignored++;
            LOG.debug(
                    "Container {}: a change of {} is outside the container's folder {}; ignored",
                    containerId,
                    Walk.quote(path),
                    Walk.quote(folder));
            return true;
        }
        applied++;
        if (listing.batches(path)) {
            listing.flush(); // the rows to replace must be in the database
        }
        String key = PathKeys.of(path);
        Boolean wasFolder = database.read(c -> {
            try (PreparedStatement q = c.prepareStatement(ROW)) {
                q.setLong(1, traversalId);
                q.setString(2, key);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    short directory = rs.getShort(1);
                    return rs.wasNull() ? null : directory != 0;
                }
            }
        });
        if (wasFolder != null) {
            boolean below = wasFolder && (change.deleted() || !change.entry().directory());
            database.inTransaction(c -> {
                try (PreparedStatement delete = c.prepareStatement(DELETE_ROW)) {
                    delete.setLong(1, traversalId);
                    delete.setLong(2, traversalId);
                    delete.setString(3, key);
                    delete.executeUpdate();
                }
                try (PreparedStatement delete = c.prepareStatement(DELETE_KEY)) {
                    delete.setLong(1, traversalId);
                    delete.setString(2, key);
                    delete.executeUpdate();
                }
                if (below) {
                    try (PreparedStatement delete = c.prepareStatement(DELETE_BELOW)) {
                        delete.setLong(1, traversalId);
                        delete.setString(2, likePrefix(path) + "/%");
                        delete.executeUpdate();
                    }
                }
                return null;
            });
        }
        if (!change.deleted()) {
            listing.add(change.entry());
        }
        return true;
    }

    /** A path for a {@code LIKE ... ESCAPE '!'} pattern that matches it literally. */
    static String likePrefix(String path) {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch == '!' || ch == '%' || ch == '_') {
                out.append('!');
            }
            out.append(ch);
        }
        return out.toString();
    }
}
