package org.cloudkeep.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.cloudkeep.store.derby.TestDerby;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigratedDatabaseTest {

    @Test
    void appliesEveryMigrationOnceAndKeepsDataAcrossRestarts(@TempDir Path data) throws Exception {
        try (TestDerby derby = new TestDerby(data.resolve("db"))) {
            MigratedDatabase db = new MigratedDatabase(derby, "cloud");
            db.inTransaction(c -> c.createStatement()
                    .executeUpdate("INSERT INTO ck_users (username, password_hash, created_at) "
                            + "VALUES ('ann', 'x', CURRENT_TIMESTAMP)"));
            new MigratedDatabase(derby, "cloud"); // a second start applies nothing again
            assertEquals(1, count(db, "SELECT COUNT(*) FROM ck_users"));
            assertEquals(
                    new Migrations(getClass().getClassLoader(), "cloud").list().size(),
                    count(db, "SELECT COUNT(*) FROM ck_schema WHERE schema_name = 'cloud'"));
            assertEquals(
                    new Migrations(getClass().getClassLoader(), "cloud").list().size(),
                    count(db, "SELECT MAX(version) FROM ck_schema WHERE schema_name = 'cloud'"),
                    "at the newest version");
        }
    }

    @Test
    void aFailingTransactionLeavesNothing(@TempDir Path data) throws Exception {
        try (TestDerby derby = new TestDerby(data.resolve("db"))) {
            MigratedDatabase db = new MigratedDatabase(derby, "cloud");
            assertThrows(
                    SQLException.class,
                    () -> db.inTransaction(c -> {
                        c.createStatement()
                                .executeUpdate("INSERT INTO ck_users (username, password_hash, created_at) "
                                        + "VALUES ('bob', 'x', CURRENT_TIMESTAMP)");
                        return c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
                    }));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM ck_users"));
        }
    }

    @Test
    void theDeviceSchemaIsSeparate(@TempDir Path data) throws Exception {
        try (TestDerby derby = new TestDerby(data.resolve("db"))) {
            MigratedDatabase db = new MigratedDatabase(derby, "device");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM ck_schema WHERE schema_name = 'device'"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM ck_held_entries"));
            assertThrows(SQLException.class, () -> count(db, "SELECT COUNT(*) FROM ck_users"));
        }
    }

    @Test
    void splitsScriptsIntoStatements() {
        assertEquals(
                List.of("CREATE TABLE a (x INT)", "CREATE INDEX i\nON a (x)"),
                Migrations.statements("-- comment\nCREATE TABLE a (x INT); -- why\n\nCREATE INDEX i\nON a (x);\n"));
    }

    @Test
    void schemaComesFromConfigurationThenRuntime() {
        assertEquals("device", MigratedDatabase.schema("", "device"));
        assertEquals("cloud", MigratedDatabase.schema("cloud", "device"));
        assertEquals("cloud", MigratedDatabase.schema(null, null));
        assertThrows(
                IllegalArgumentException.class, () -> new Migrations(getClass().getClassLoader(), "../x"));
    }

    private static long count(MigratedDatabase db, String sql) throws SQLException {
        return db.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        });
    }
}
