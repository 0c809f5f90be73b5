package org.cloudkeep.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A traversal's listing, as the cloud's schema holds it: its rows in {@code ck_traversal_entries},
 * the folders among them in {@code ck_traversal_folders} (the walk's queue) and, for a change
 * replay, their keys in {@code ck_traversal_keys}. The traversal writes it and the merge reads it;
 * both delete it here, so that no table of it is forgotten.
 */
public final class Listings {

    /** Rows deleted per committed transaction: below Derby's lock escalation threshold (5000), so that a big
     * listing never locks the whole table that other traversals write to. */
    public static final int DELETE_CHUNK = 2000;

    private static final String[] TABLES = {"ck_traversal_keys", "ck_traversal_folders", "ck_traversal_entries"};

    private Listings() {}

    /**
     * Deletes a traversal's whole listing in committed chunks of {@value #DELETE_CHUNK} rows.
     *
     * @return the entry rows deleted
     */
    public static long delete(Database database, long traversalId) throws SQLException {
        long entries = 0;
        for (String table : TABLES) {
            long[] range = database.read(c -> {
                try (PreparedStatement q =
                        c.prepareStatement("SELECT MIN(seq), MAX(seq) FROM " + table + " WHERE traversal_id = ?")) {
                    q.setLong(1, traversalId);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        long min = rs.getLong(1);
                        return rs.wasNull() ? null : new long[] {min, rs.getLong(2)};
                    }
                }
            });
            if (range == null) {
                continue;
            }
            long deleted = 0;
            for (long from = range[0]; from <= range[1]; from += DELETE_CHUNK) {
                long chunk = from;
                deleted += database.inTransaction(c -> {
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM " + table + " WHERE traversal_id = ? AND seq >= ? AND seq < ?")) {
                        delete.setLong(1, traversalId);
                        delete.setLong(2, chunk);
                        delete.setLong(3, chunk + DELETE_CHUNK);
                        return (long) delete.executeUpdate();
                    }
                });
            }
            entries = deleted; // the entries table comes last
        }
        return entries;
    }
}
