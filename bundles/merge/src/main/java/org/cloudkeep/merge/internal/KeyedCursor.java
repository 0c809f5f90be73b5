package org.cloudkeep.merge.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a result set ordered by {@code path_key}, one row at a time. Of rows with the same key only
 * the first is returned (the listing's are ordered by {@code seq} within a key, so that is the
 * first one listed). The order is checked as it is read: a merge-join over rows the database sorted
 * differently from Java would silently pair the wrong rows, so it fails instead.
 */
final class KeyedCursor {

    /** {@code ck_entries.fetched} of an entry the device reported fetched; 0 is not yet, 2 missing. */
    static final short FETCHED = 1;

    private final ResultSet rows;
    private final String what;
    private final boolean withFetched;
    private String lastKey;
    private long duplicates;

    /**
     * @param rows columns path_key, path, size, modified_ms, hash_algorithm, hash_value, directory
     *     and, when {@code withFetched}, fetched
     * @param what what the rows are, for an error message
     */
    KeyedCursor(ResultSet rows, String what, boolean withFetched) {
        this.rows = rows;
        this.what = what;
        this.withFetched = withFetched;
    }

    /** The next row with a new key, or {@code null} at the end. */
    Row next() throws SQLException {
        while (rows.next()) {
            String key = rows.getString(1).strip();
            if (lastKey != null) {
                int order = key.compareTo(lastKey);
                if (order < 0) {
                    throw new SQLException("the database returned " + what + " out of path-key order (" + key
                            + " after " + lastKey + "); its collation must sort hex digits by code point");
                }
                if (order == 0) {
                    duplicates++;
                    continue;
                }
            }
            lastKey = key;
            return new Row(
                    key,
                    rows.getString(2),
                    rows.getLong(3),
                    rows.getLong(4),
                    rows.getString(5),
                    rows.getString(6),
                    rows.getShort(7) != 0,
                    withFetched && rows.getShort(8) == FETCHED);
        }
        return null;
    }

    /** Rows skipped so far because their key was the one before. */
    long duplicates() {
        return duplicates;
    }
}
