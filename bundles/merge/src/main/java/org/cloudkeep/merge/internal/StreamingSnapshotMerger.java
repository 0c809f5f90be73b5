package org.cloudkeep.merge.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.cloudkeep.merge.MergeResult;
import org.cloudkeep.merge.SnapshotMerger;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.Listings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges a traversal's listing into its container's snapshot with a merge-join on {@code path_key},
 * in one transaction, writing the new snapshot in JDBC batches. Only the current row of each of the
 * two cursors and one batch are in memory, however big the container.
 *
 * <p>The transaction first takes the container row's lock (by setting its state to {@code
 * MERGING}); the task-group reports take the same lock before they mark entries fetched, so every
 * {@code fetched} flag committed before the merge is read by it, and none can be committed during
 * it. A failure rolls everything back: the old snapshot, its groups and flags, the container and the
 * listing stay exactly as they were, and the merge can be run again.
 *
 * <p>The merged listing is deleted after the commit, in small committed chunks: deleting a big
 * listing inside the merge's transaction would make Derby escalate to a lock on the whole listing
 * table and hold up every other traversal's writes until the merge commits. A listing left behind
 * by a crash in between belongs to a MERGED traversal and is deleted by the traversal's recovery.
 *
 * <p>Merges run one at a time in a runtime. Writing a big snapshot makes Derby escalate to a lock
 * on the whole entries table; a second merge would wait for it in the database, where the lock
 * wait times out (60 s by default), rather than here, where it waits as long as it takes.
 */
@Component(
        service = SnapshotMerger.class,
        configurationPid = StreamingSnapshotMerger.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MergeConfig.class)
public class StreamingSnapshotMerger implements SnapshotMerger {

    static final String PID = "cloudkeep.merge";
    static final int DEFAULT_BATCH_SIZE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(StreamingSnapshotMerger.class);

    private static final String LOCK_CONTAINER = "UPDATE ck_containers SET state = 'MERGING' WHERE id = ?";
    private static final String READ_CONTAINER =
            "SELECT snapshot, group_size, traverse_every_hours FROM ck_containers WHERE id = ?";
    private static final String READ_TRAVERSAL = "SELECT container_id, state FROM ck_traversals WHERE id = ?";
    private static final String OLD_SNAPSHOT = "SELECT path_key, path, size, modified_ms, hash_algorithm, hash_value,"
            + " directory, fetched FROM ck_entries WHERE container_id = ? AND snapshot = ? ORDER BY path_key";
    private static final String LISTING = "SELECT path_key, path, size, modified_ms, hash_algorithm, hash_value,"
            + " directory FROM ck_traversal_entries WHERE traversal_id = ? ORDER BY path_key, seq";
    private static final String INSERT_ENTRY = "INSERT INTO ck_entries (container_id, snapshot, path_key, path, size,"
            + " modified_ms, hash_algorithm, hash_value, directory, fetched, group_no)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_SNAPSHOT = "DELETE FROM ck_entries WHERE container_id = ? AND snapshot = ?";

    private static final String FINISH_TRAVERSAL =
            "UPDATE ck_traversals SET state = 'MERGED', finished_at = ?, entries = ?, error = NULL WHERE id = ?";
    private static final String FINISH_CONTAINER = "UPDATE ck_containers SET snapshot = ?, state = 'READY',"
            + " failures = 0, last_error = NULL, last_finished_at = ?, last_added = ?, last_changed = ?,"
            + " last_removed = ?, last_unchanged = ?, next_traversal_at = ? WHERE id = ?";

    private final Database database;
    private final int batchSize;
    private final Clock clock;
    /** Merges run one at a time: see the class comment. */
    private final ReentrantLock merging = new ReentrantLock(true);

    @Activate
    public StreamingSnapshotMerger(@Reference(name = "database") Database database, MergeConfig config) {
        this(database, config.batchSize(), Clock.systemUTC());
    }

    /** For tests, here and in other modules: the real merger over a database. */
    public StreamingSnapshotMerger(Database database, int batchSize) {
        this(database, batchSize, Clock.systemUTC());
    }

    StreamingSnapshotMerger(Database database, int batchSize, Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the merge batch size must be at least 1, not " + batchSize);
        }
        this.database = database;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    @Override
    public MergeResult merge(long containerId, long traversalId) throws SQLException {
        long started = System.nanoTime();
        MergeResult result;
        try {
            merging.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("container " + containerId + ": interrupted while waiting for another merge", e);
        }
        try {
            result = database.inTransaction(c -> merge(c, containerId, traversalId));
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "Container {}: merging traversal {} failed and was rolled back; its snapshot is as it was: {}",
                    containerId,
                    traversalId,
                    e.getMessage());
            throw e;
        } finally {
            merging.unlock();
        }
        deleteListing(containerId, traversalId);
        LOG.info(
                "Container {}: traversal {} merged into snapshot {} in {} ms: {} entries in {} groups;"
                        + " {} added, {} changed, {} removed, {} unchanged",
                containerId,
                traversalId,
                result.snapshot(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(),
                result.entries(),
                result.groups(),
                result.added(),
                result.changed(),
                result.removed(),
                result.unchanged());
        return result;
    }

    private MergeResult merge(Connection c, long containerId, long traversalId) throws SQLException {
        ContainerRow container = lockContainer(c, containerId);
        checkTraversal(c, containerId, traversalId);
        int snapshot = container.snapshot() + 1;

        Counts counts = new Counts();
        SnapshotWriter writer;
        try (PreparedStatement oldQuery = cursor(c, OLD_SNAPSHOT);
                PreparedStatement listingQuery = cursor(c, LISTING);
                PreparedStatement insert = c.prepareStatement(INSERT_ENTRY)) {
            oldQuery.setLong(1, containerId);
            oldQuery.setInt(2, container.snapshot());
            listingQuery.setLong(1, traversalId);
            writer = new SnapshotWriter(insert, containerId, snapshot, container.groupSize(), batchSize);
            try (ResultSet oldRows = oldQuery.executeQuery();
                    ResultSet listingRows = listingQuery.executeQuery()) {
                KeyedCursor old = new KeyedCursor(oldRows, "the old snapshot", true);
                KeyedCursor listing = new KeyedCursor(listingRows, "the listing", false);
                join(old, listing, writer, counts);
                if (listing.duplicates() > 0) {
                    LOG.info(
                            "Container {}: traversal {} listed {} paths more than once; each was kept once",
                            containerId,
                            traversalId,
                            listing.duplicates());
                }
            }
            writer.flush();
        }

        try (PreparedStatement delete = c.prepareStatement(DELETE_SNAPSHOT)) {
            delete.setLong(1, containerId);
            delete.setInt(2, container.snapshot());
            delete.executeUpdate();
        }
        Instant now = clock.instant();
        try (PreparedStatement update = c.prepareStatement(FINISH_TRAVERSAL)) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setLong(2, writer.entries());
            update.setLong(3, traversalId);
            update.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement(FINISH_CONTAINER)) {
            update.setInt(1, snapshot);
            update.setTimestamp(2, Timestamp.from(now));
            update.setLong(3, counts.added);
            update.setLong(4, counts.changed);
            update.setLong(5, counts.removed);
            update.setLong(6, counts.unchanged);
            update.setTimestamp(7, Timestamp.from(now.plus(Duration.ofHours(container.traverseEveryHours()))));
            update.setLong(8, containerId);
            update.executeUpdate();
        }
        return new MergeResult(
                snapshot,
                counts.added,
                counts.changed,
                counts.removed,
                counts.unchanged,
                writer.entries(),
                writer.groups());
    }

    /** Deletes a merged listing in committed chunks; what a failure leaves is deleted at the next start. */
    private void deleteListing(long containerId, long traversalId) {
        try {
            Listings.delete(database, traversalId);
        } catch (SQLException e) {
            LOG.warn(
                    "Container {}: traversal {} is merged, but its listing could not be deleted yet ({}); it is"
                            + " deleted at the next start",
                    containerId,
                    traversalId,
                    e.getMessage());
        }
    }

    /**
     * The merge-join: both cursors ascend by path key; each new entry is written once, in key order.
     * Only a fetched entry (1) with the same content stays fetched; everything else is written as 0,
     * including an entry reported missing (2) that the provider lists again.
     */
    private static void join(KeyedCursor old, KeyedCursor listing, SnapshotWriter writer, Counts counts)
            throws SQLException {
        Row before = old.next();
        Row now = listing.next();
        while (before != null || now != null) {
            int order = before == null ? 1 : now == null ? -1 : before.key().compareTo(now.key());
            if (order < 0) {
                counts.removed++;
                before = old.next();
            } else if (order > 0) {
                counts.added++;
                writer.write(now, false);
                now = listing.next();
            } else {
                if (sameContent(before, now)) {
                    counts.unchanged++;
                    writer.write(now, before.fetched());
                } else {
                    counts.changed++;
                    writer.write(now, false);
                }
                before = old.next();
                now = listing.next();
            }
        }
    }

    /**
     * Whether an entry's content is unchanged: the same directory flag, and equal hashes where both
     * carry one in the same algorithm, else equal size and modified time.
     */
    static boolean sameContent(Row before, Row now) {
        if (before.directory() != now.directory()) {
            return false;
        }
        if (before.hashAlgorithm() != null
                && before.hashValue() != null
                && now.hashValue() != null
                && before.hashAlgorithm().equals(now.hashAlgorithm())) {
            return before.hashValue().equals(now.hashValue());
        }
        return before.size() == now.size() && before.modifiedMs() == now.modifiedMs();
    }

    private static ContainerRow lockContainer(Connection c, long containerId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(LOCK_CONTAINER)) {
            lock.setLong(1, containerId);
            if (lock.executeUpdate() != 1) {
                throw new SQLException("no container " + containerId + " to merge into");
            }
        }
        try (PreparedStatement read = c.prepareStatement(READ_CONTAINER)) {
            read.setLong(1, containerId);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                return new ContainerRow(rs.getInt(1), rs.getInt(2), rs.getInt(3));
            }
        }
    }

    /** Only a running traversal of this container has a listing that may become its snapshot. */
    private static void checkTraversal(Connection c, long containerId, long traversalId) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(READ_TRAVERSAL)) {
            read.setLong(1, traversalId);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no traversal " + traversalId + " to merge into container " + containerId);
                }
                if (rs.getLong(1) != containerId) {
                    throw new SQLException("traversal " + traversalId + " belongs to container " + rs.getLong(1)
                            + ", not to container " + containerId);
                }
                String state = rs.getString(2);
                if (!"RUNNING".equals(state)) {
                    throw new SQLException("traversal " + traversalId + " of container " + containerId + " is " + state
                            + "; only a RUNNING traversal's listing can be merged");
                }
            }
        }
    }

    private PreparedStatement cursor(Connection c, String sql) throws SQLException {
        PreparedStatement statement = c.prepareStatement(
                sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT);
        statement.setFetchSize(batchSize);
        return statement;
    }

    private record ContainerRow(int snapshot, int groupSize, int traverseEveryHours) {
        ContainerRow {
            if (groupSize < 1) {
                throw new IllegalStateException("a container's group size must be at least 1, not " + groupSize);
            }
        }
    }

    private static final class Counts {
        long added;
        long changed;
        long removed;
        long unchanged;
    }
}
