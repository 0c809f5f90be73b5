package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.cloudkeep.api.Entry;
import org.cloudkeep.merge.internal.SnapshotFixture;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.SqlWork;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingWriterTest {

    @TempDir
    Path folder;

    @Test
    void everyRowAddedIsInTheDatabaseAfterAFlushAndTheFoldersAreTheQueueInArrivalOrder() throws Exception {
        try (TestDatabase database = TestDatabase.cloud(folder)) {
            SnapshotFixture fixture = new SnapshotFixture(database);
            long traversal = fixture.traversal(fixture.container(10));
            try (ListingWriter listing = new ListingWriter(database, traversal, 3)) {
                listing.add(Entry.folder("/b", Instant.EPOCH));
                for (int i = 0; i < 7; i++) {
                    listing.add(Entry.file("/f" + i, i, Instant.ofEpochMilli(i), null));
                }
                listing.add(Entry.folder("/a", Instant.EPOCH));
                assertEquals(9, listing.written());
                listing.flush();

                assertEquals(
                        9,
                        fixture.number("SELECT COUNT(*) FROM ck_traversal_entries WHERE traversal_id = ?", traversal));
                assertEquals(9, fixture.number("SELECT entries FROM ck_traversals WHERE id = ?", traversal));
                assertEquals(
                        List.of(new ListingWriter.Folder(1, "/b"), new ListingWriter.Folder(9, "/a")),
                        listing.foldersAfter(0, 10));
                assertEquals(List.of(new ListingWriter.Folder(9, "/a")), listing.foldersAfter(1, 10));
                assertEquals(
                        0,
                        fixture.number("SELECT COUNT(*) FROM ck_traversal_keys WHERE traversal_id = ?", traversal),
                        "a walk writes no keys");
            }
        }
    }

    @Test
    void aBatchThatFailsInTheBackgroundFailsTheNextFlush() throws Exception {
        Database broken = new Database() {
            @Override
            public <T> T inTransaction(SqlWork<T> work) throws SQLException {
                throw new SQLException("No space left on device");
            }

            @Override
            public <T> T read(SqlWork<T> work) throws SQLException {
                throw new SQLException("No space left on device");
            }

            @Override
            public DataSource dataSource() {
                throw new UnsupportedOperationException();
            }
        };
        try (ListingWriter listing = new ListingWriter(broken, 1, 2)) {
            listing.add(Entry.file("/a", 1, Instant.EPOCH, null));
            listing.add(Entry.file("/b", 1, Instant.EPOCH, null)); // handed over: fails on the writing thread
            SQLException failure = assertThrows(SQLException.class, listing::flush);
            assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
        }
    }
}
