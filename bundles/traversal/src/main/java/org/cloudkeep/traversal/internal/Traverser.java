package org.cloudkeep.traversal.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.merge.MergeResult;
import org.cloudkeep.merge.SnapshotMerger;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.Listings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one container's traversal on the calling thread, from its row in {@code ck_traversals} to
 * the merge, and records how it ended; also the container-state SQL the scheduler needs (due,
 * claim, recovery). Holds no state between calls.
 *
 * <p>On any failure the traversal is FAILED with the reason, its listing is deleted, the
 * container's snapshot is untouched, and the container is FAILED with the reason and due again
 * after a backoff. A walk interrupted because CloudKeep is stopping is not counted as a failure:
 * the container goes back to WAITING, due at once.
 */
final class Traverser {

    /** The width of the error columns. */
    static final int MAX_MESSAGE = 2000;

    /** The width of {@code ck_containers.change_cursor}. */
    static final int MAX_CURSOR = 4000;

    static final String STOPPED = "stopped: CloudKeep was stopping during the traversal; it runs again";

    private static final Logger LOG = LoggerFactory.getLogger(Traverser.class);

    private static final String RUNNING_STATES = "('TRAVERSING', 'MERGING')";

    /**
     * Appended to an update of the container a traversal ended for (parameters: container id, this
     * traversal's id): a walk that outlived a stop must not touch a container that a newer traversal
     * now runs.
     */
    private static final String NO_NEWER_TRAVERSAL = " AND NOT EXISTS (SELECT 1 FROM ck_traversals t"
            + " WHERE t.container_id = ? AND t.state = 'RUNNING' AND t.id <> ?)";

    private final Database database;
    private final Accounts accounts;
    private final ProviderRegistry providers;
    private final SnapshotMerger merger;
    private final Settings settings;
    private final Clock clock;

    Traverser(
            Database database,
            Accounts accounts,
            ProviderRegistry providers,
            SnapshotMerger merger,
            Settings settings,
            Clock clock) {
        this.database = database;
        this.accounts = accounts;
        this.providers = providers;
        this.merger = merger;
        this.settings = settings;
        this.clock = clock;
    }

    /** What a request for a traversal now found. */
    enum Request {
        /** The container is due now. */
        DUE,
        /** A traversal of it is running. */
        RUNNING,
        /** There is no such container. */
        UNKNOWN
    }

    /**
     * Up to {@code max} containers that are due and not being traversed, the longest due first. Read
     * uncommitted, so that a merge holding a container's row does not hold up the scheduler; {@link
     * #claim} checks again under the row's lock.
     */
    List<Long> due(int max) throws SQLException {
        return database.read(c -> uncommitted(c, () -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM ck_containers WHERE next_traversal_at <= ?"
                    + " AND state NOT IN " + RUNNING_STATES + " ORDER BY next_traversal_at, id")) {
                q.setMaxRows(max);
                q.setTimestamp(1, now());
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        }));
    }

    /** Marks a due container TRAVERSING; true when this call did it, so that the caller owns its traversal. */
    boolean claim(long containerId) throws SQLException {
        return update(
                        "UPDATE ck_containers SET state = 'TRAVERSING' WHERE id = ? AND state NOT IN " + RUNNING_STATES
                                + " AND next_traversal_at <= ?",
                        containerId,
                        now())
                == 1;
    }

    /** Gives back a claimed container that could not be traversed after all (the scheduler is stopping). */
    void release(long containerId) throws SQLException {
        update("UPDATE ck_containers SET state = 'WAITING' WHERE id = ? AND state = 'TRAVERSING'", containerId);
    }

    /**
     * Makes a container due now, unless a traversal of it is running. Its state is read uncommitted
     * first, so that a request during a merge is answered at once rather than after the merge.
     */
    Request makeDue(long containerId) throws SQLException {
        String state = database.read(c -> uncommitted(c, () -> {
            try (PreparedStatement q = c.prepareStatement("SELECT state FROM ck_containers WHERE id = ?")) {
                q.setLong(1, containerId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
        if (state == null) {
            return Request.UNKNOWN;
        }
        if (state.equals("TRAVERSING") || state.equals("MERGING")) {
            return Request.RUNNING;
        }
        int updated = update(
                "UPDATE ck_containers SET next_traversal_at = ? WHERE id = ? AND state NOT IN " + RUNNING_STATES,
                now(),
                containerId);
        return updated == 1 ? Request.DUE : Request.RUNNING;
    }

    /** Runs a read at READ UNCOMMITTED, and puts the connection's isolation back. */
    private static <T> T uncommitted(Connection c, SqlRead<T> read) throws SQLException {
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
        try {
            return read.run();
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }

    @FunctionalInterface
    private interface SqlRead<T> {
        T run() throws SQLException;
    }

    /**
     * Cleans up after a crash or a stop that could not finish its traversals: RUNNING traversals
     * become FAILED, containers left TRAVERSING or MERGING go back to WAITING, due now, and listings
     * of traversals that are not running are deleted. Only safe while no traversal runs.
     */
    void recover() throws SQLException {
        Timestamp now = now();
        for (long[] traversal : pairs("SELECT id, container_id FROM ck_traversals WHERE state = 'RUNNING'")) {
            update(
                    "UPDATE ck_traversals SET state = 'FAILED', finished_at = ?, error = ? WHERE id = ?"
                            + " AND state = 'RUNNING'",
                    now,
                    "interrupted: CloudKeep stopped during the traversal",
                    traversal[0]);
            LOG.info(
                    "Container {}: traversal {} was interrupted when CloudKeep stopped; it is marked failed",
                    traversal[1],
                    traversal[0]);
        }
        for (long[] container : pairs("SELECT id, id FROM ck_containers WHERE state IN " + RUNNING_STATES)) {
            update(
                    "UPDATE ck_containers SET state = 'WAITING', next_traversal_at = ? WHERE id = ? AND state IN "
                            + RUNNING_STATES,
                    now,
                    container[0]);
            LOG.info(
                    "Container {}: was being traversed when CloudKeep stopped; its snapshot is as it was and it is"
                            + " due again now",
                    container[0]);
        }
        for (long[] orphan : pairs("SELECT DISTINCT e.traversal_id, COALESCE(t.container_id, 0)"
                + " FROM (SELECT traversal_id FROM ck_traversal_entries UNION SELECT traversal_id FROM"
                + " ck_traversal_keys UNION SELECT traversal_id FROM ck_traversal_folders) e"
                + " LEFT JOIN ck_traversals t ON t.id = e.traversal_id"
                + " WHERE t.id IS NULL OR t.state <> 'RUNNING'")) {
            long rows = deleteListing(orphan[0]);
            LOG.info("Container {}: deleted the {} listing rows left by traversal {}", orphan[1], rows, orphan[0]);
        }
    }

    /**
     * Traverses a container this caller has {@linkplain #claim claimed}: walks it, merges the listing
     * and records how it ended. Never throws; an interrupt is kept set for the caller.
     */
    void traverse(long containerId) {
        long traversalId;
        try {
            traversalId = start(containerId);
        } catch (SQLException | RuntimeException e) {
            Thread.interrupted(); // the failure is recorded either way
            failed(containerId, 0, "the traversal could not start: " + e.getMessage(), null);
            return;
        }
        LOG.info("Container {}: traversal {} started", containerId, traversalId);
        long started = System.nanoTime();
        try {
            Listed listed = walk(containerId, traversalId);
            // The stored cursor belongs to the snapshot the merge replaces: forgotten first, so that a
            // crash after the merge leaves no cursor (a full walk next time) rather than a wrong one.
            forgetCursor(containerId);
            MergeResult merged = merger.merge(containerId, traversalId);
            keepCursor(containerId, merged.snapshot(), listed.cursor());
            LOG.info(
                    "Container {}: traversal {} listed {} entries in {} s; snapshot {} has {} entries in {} groups"
                            + " ({} added, {} changed, {} removed, {} unchanged)",
                    containerId,
                    traversalId,
                    listed.entries(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                    merged.snapshot(),
                    merged.entries(),
                    merged.groups(),
                    merged.added(),
                    merged.changed(),
                    merged.removed(),
                    merged.unchanged());
        } catch (InterruptedException | TraversalFailure | SQLException | RuntimeException e) {
            // Cleared so that the database work below is not disturbed; set again for the caller.
            boolean interrupted = Thread.interrupted();
            if (interrupted || e instanceof InterruptedException) {
                stopped(containerId, traversalId);
                Thread.currentThread().interrupt();
            } else if (e instanceof TraversalFailure failure) {
                failed(containerId, traversalId, failure.getMessage(), failure.retryAfter());
            } else if (e instanceof SQLException) {
                failed(containerId, traversalId, "the database failed: " + e.getMessage(), null);
            } else {
                LOG.error("Container {}: traversal {} failed unexpectedly", containerId, traversalId, e);
                failed(containerId, traversalId, "unexpected error: " + e, null);
            }
        }
    }

    /** What a walk wrote: the rows of its listing, and the change cursor to store after the merge, if any. */
    record Listed(long entries, String cursor) {}

    /**
     * Writes the container's listing. With a provider that offers {@link Capability#CHANGE_CURSOR}
     * and a container of one folder, the listing is built from the current snapshot and the changes
     * since the stored cursor when there is one; else, or when the provider rejects it, the folder is
     * walked in full, after a new cursor was asked for. A container of several folders is always
     * walked in full: a cursor marks one folder, and its snapshot would need one per folder.
     */
    private Listed walk(long containerId, long traversalId)
            throws TraversalFailure, SQLException, InterruptedException {
        Container container = accounts.container(containerId)
                .orElseThrow(() -> new TraversalFailure("container " + containerId + " does not exist any more"));
        String providerId = container.provider();
        CloudDriveProvider provider = providers
                .find(providerId)
                .orElseThrow(() -> new TraversalFailure(
                        "provider '" + providerId + "' is not installed; the traversal is retried when it is"));
        List<String> folders = folders(container.folders());
        Map<String, String> credentials;
        try {
            credentials = accounts.credentials(container.accountId()).credentials();
        } catch (AccountsException e) {
            throw new TraversalFailure(
                    "the credentials of account " + container.accountId() + " cannot be read: " + e.getMessage(),
                    null,
                    e);
        }
        boolean wholeTrees = provider.descriptor().offers(Capability.RECURSIVE_LISTING);
        ProviderCalls calls = new ProviderCalls(containerId, settings.callAttempts(), settings.maxRetryAfter());
        ProviderSession session;
        try {
            session = calls.call("connecting to provider '" + providerId + "'", () -> provider.connect(credentials));
        } catch (NotFoundException e) {
            throw new TraversalFailure(
                    "connecting to provider '" + providerId + "' failed: " + e.getMessage(), null, e);
        }
        ListingWriter listing = new ListingWriter(database, traversalId, settings.batchSize());
        try {
            String cursor = null;
            if (provider.descriptor().offers(Capability.CHANGE_CURSOR) && folders.size() == 1) {
                String folder = folders.get(0);
                StoredCursor stored = storedCursor(containerId);
                if (stored != null) {
                    new Walk(containerId, session, calls, listing).checkFolder(folder);
                    listing.close();
                    listing = ListingWriter.keyed(database, traversalId, settings.batchSize());
                    String next = new ChangeReplay(
                                    containerId, traversalId, database, session, calls, listing, settings.batchSize())
                            .run(folder, stored.snapshot(), stored.cursor());
                    if (next != null) {
                        return new Listed(listing.written(), next);
                    }
                    listing.close();
                    deleteListing(traversalId);
                    listing = new ListingWriter(database, traversalId, settings.batchSize());
                }
                // Asked before the walk, so that what changes while it walks is seen next time.
                try {
                    cursor = calls.call(
                            "asking for a change cursor of the container's folder " + Walk.quote(folder),
                            () -> session.changeCursor(folder));
                } catch (NotFoundException e) {
                    throw Walk.missingFolder(folder, e);
                }
            }
            new Walk(containerId, session, calls, listing).run(folders, wholeTrees);
            return new Listed(listing.written(), cursor);
        } finally {
            listing.close(); // no batch is still being written when the listing is merged or deleted
            keepRenewedCredentials(container.accountId(), session);
            close(containerId, session);
        }
    }

    /** The container's snapshot and the change cursor stored with it. */
    private record StoredCursor(int snapshot, String cursor) {}

    /** The cursor stored with the container's current snapshot, or {@code null} when there is none. */
    private StoredCursor storedCursor(long containerId) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement q =
                    c.prepareStatement("SELECT snapshot, change_cursor FROM ck_containers WHERE id = ?")) {
                q.setLong(1, containerId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    int snapshot = rs.getInt(1);
                    String cursor = rs.getString(2);
                    return snapshot > 0 && cursor != null ? new StoredCursor(snapshot, cursor) : null;
                }
            }
        });
    }

    private void forgetCursor(long containerId) throws SQLException {
        update("UPDATE ck_containers SET change_cursor = NULL WHERE id = ? AND change_cursor IS NOT NULL", containerId);
    }

    /**
     * Stores the cursor that matches the snapshot a merge just committed. A failure only costs a full
     * walk next time, so it is logged, not counted against the traversal.
     */
    private void keepCursor(long containerId, int snapshot, String cursor) {
        if (cursor == null) {
            return;
        }
        if (cursor.length() > MAX_CURSOR) {
            LOG.info(
                    "Container {}: the provider's change cursor is {} characters long, more than the {} the store"
                            + " holds; the next traversal lists everything",
                    containerId,
                    cursor.length(),
                    MAX_CURSOR);
            return;
        }
        try {
            update(
                    "UPDATE ck_containers SET change_cursor = ? WHERE id = ? AND snapshot = ?",
                    cursor,
                    containerId,
                    snapshot);
        } catch (SQLException e) {
            LOG.warn(
                    "Container {}: snapshot {} is merged, but its change cursor could not be stored ({}); the next"
                            + " traversal lists everything",
                    containerId,
                    snapshot,
                    e.getMessage());
        }
    }

    /**
     * The container's folders to walk: checked, each once, and none below another (its entries are
     * listed with the one above it).
     */
    static List<String> folders(List<String> configured) throws TraversalFailure {
        List<String> folders = new ArrayList<>();
        for (String folder : configured) {
            try {
                EntryPaths.normalize(folder);
            } catch (IllegalArgumentException e) {
                throw new TraversalFailure("the container's folder list holds an invalid path: " + e.getMessage());
            }
            if (!folders.contains(folder)) {
                folders.add(folder);
            }
        }
        List<String> outermost = new ArrayList<>();
        for (String folder : folders) {
            if (folders.stream().noneMatch(other -> below(folder, other))) {
                outermost.add(folder);
            }
        }
        if (outermost.isEmpty()) {
            throw new TraversalFailure("the container has no folders to back up");
        }
        return outermost;
    }

    /** Whether a path lies below a folder (not the folder itself). */
    static boolean below(String path, String folder) {
        return folder.equals(EntryPaths.ROOT) ? !path.equals(EntryPaths.ROOT) : path.startsWith(folder + "/");
    }

    private long start(long containerId) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ck_traversals (container_id, state, started_at) VALUES (?, 'RUNNING', ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, containerId);
                insert.setTimestamp(2, now());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Records a failed traversal and makes the container due again after its backoff. */
    private void failed(long containerId, long traversalId, String reason, Duration retryAfter) {
        String message = clip(reason);
        try {
            Instant next = database.inTransaction(c -> {
                Instant now = clock.instant();
                if (traversalId > 0) {
                    finishTraversal(c, traversalId, now, message);
                }
                int failures;
                int everyHours;
                try (PreparedStatement q =
                        c.prepareStatement("SELECT failures, traverse_every_hours FROM ck_containers WHERE id = ?")) {
                    q.setLong(1, containerId);
                    try (ResultSet rs = q.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        failures = rs.getInt(1) + 1;
                        everyHours = rs.getInt(2);
                    }
                }
                Instant due = now.plus(Backoff.afterTraversal(failures, Duration.ofHours(everyHours), retryAfter));
                try (PreparedStatement u = c.prepareStatement("UPDATE ck_containers SET state = 'FAILED',"
                        + " failures = ?, last_error = ?, next_traversal_at = ? WHERE id = ? AND state IN "
                        + RUNNING_STATES + NO_NEWER_TRAVERSAL)) {
                    u.setInt(1, failures);
                    u.setString(2, message);
                    u.setTimestamp(3, Timestamp.from(due));
                    u.setLong(4, containerId);
                    u.setLong(5, containerId);
                    u.setLong(6, traversalId);
                    u.executeUpdate();
                }
                return due;
            });
            LOG.warn(
                    "Container {}: traversal {} failed; the previous snapshot is kept, next try at {}: {}",
                    containerId,
                    traversalId,
                    next,
                    message);
        } catch (SQLException e) {
            LOG.error(
                    "Container {}: traversal {} failed ({}), and recording that failed too: {}; it is cleaned up at"
                            + " the next start",
                    containerId,
                    traversalId,
                    message,
                    e.getMessage());
            return;
        }
        deleteListingQuietly(containerId, traversalId);
    }

    /** Records a traversal stopped by an interrupt; the container is due again at once, without a failure. */
    private void stopped(long containerId, long traversalId) {
        try {
            database.inTransaction(c -> {
                Instant now = clock.instant();
                finishTraversal(c, traversalId, now, STOPPED);
                try (PreparedStatement u = c.prepareStatement("UPDATE ck_containers SET state = 'WAITING',"
                        + " next_traversal_at = ? WHERE id = ? AND state IN " + RUNNING_STATES + NO_NEWER_TRAVERSAL)) {
                    u.setTimestamp(1, Timestamp.from(now));
                    u.setLong(2, containerId);
                    u.setLong(3, containerId);
                    u.setLong(4, traversalId);
                    u.executeUpdate();
                }
                return null;
            });
            LOG.info(
                    "Container {}: traversal {} stopped because CloudKeep is stopping; the previous snapshot is kept"
                            + " and the container is due again",
                    containerId,
                    traversalId);
        } catch (SQLException e) {
            LOG.warn(
                    "Container {}: traversal {} stopped, and recording that failed: {}; it is cleaned up at the next"
                            + " start",
                    containerId,
                    traversalId,
                    e.getMessage());
            return;
        }
        deleteListingQuietly(containerId, traversalId);
    }

    private static void finishTraversal(Connection c, long traversalId, Instant now, String error) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE ck_traversals SET state = 'FAILED', finished_at = ?,"
                + " error = ? WHERE id = ? AND state = 'RUNNING'")) {
            u.setTimestamp(1, Timestamp.from(now));
            u.setString(2, error);
            u.setLong(3, traversalId);
            u.executeUpdate();
        }
    }

    private void deleteListingQuietly(long containerId, long traversalId) {
        try {
            deleteListing(traversalId);
        } catch (SQLException e) {
            LOG.warn(
                    "Container {}: the listing of failed traversal {} could not be deleted ({}); it is at the next"
                            + " start",
                    containerId,
                    traversalId,
                    e.getMessage());
        }
    }

    /** Deletes a traversal's listing ({@link Listings#delete}). */
    long deleteListing(long traversalId) throws SQLException {
        return Listings.delete(database, traversalId);
    }

    /** A session that refreshed its OAuth2 token hands the new one over: store it for next time. */
    private void keepRenewedCredentials(long accountId, ProviderSession session) {
        try {
            Map<String, String> renewed = session.renewedCredentials();
            if (renewed != null && !renewed.isEmpty()) {
                accounts.renewCredentials(accountId, renewed);
            }
        } catch (AccountsException | RuntimeException e) {
            LOG.error("Account {}: renewed credentials could not be stored: {}", accountId, e.toString());
        }
    }

    private static void close(long containerId, ProviderSession session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.warn("Container {}: closing the provider session failed: {}", containerId, e.toString());
        }
    }

    private List<long[]> pairs(String sql) throws SQLException {
        return database.read(c -> {
            List<long[]> rows = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql);
                    ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            return rows;
        });
    }

    private int update(String sql, Object... params) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement u = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    u.setObject(i + 1, params[i]);
                }
                return u.executeUpdate();
            }
        });
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static String clip(String message) {
        String text = message == null ? "unknown error" : message;
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
