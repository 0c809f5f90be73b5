package org.cloudkeep.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerbyDataSourceTest {

    @Test
    void keepsDataAcrossARestart(@TempDir Path data) throws Exception {
        Path location = data.resolve("nested/db");
        DerbyDataSource first = new DerbyDataSource(location);
        try (Connection c = first.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE probe (id INT PRIMARY KEY, name VARCHAR(40))");
            s.executeUpdate("INSERT INTO probe VALUES (1, 'kept')");
        }
        first.shutdown();
        assertTrue(Files.isDirectory(location), "the database lives in the configured folder");

        DerbyDataSource second = new DerbyDataSource(location);
        try (Connection c = second.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM probe WHERE id = 1")) {
            assertTrue(rs.next());
            assertEquals("kept", rs.getString(1));
        } finally {
            second.shutdown();
        }
    }

    @Test
    void aClosedConnectionIsReusedAndComesBackCleanWhateverItsUserLeftBehind(@TempDir Path data) throws Exception {
        DerbyDataSource database = new DerbyDataSource(data.resolve("db"));
        try {
            try (Connection c = database.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE probe (id INT PRIMARY KEY)");
            }
            assertEquals(1, database.idleConnections(), "given back, not closed");

            Connection careless = database.getConnection();
            assertEquals(0, database.idleConnections(), "the idle one was taken");
            careless.setAutoCommit(false);
            careless.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            Statement open = careless.createStatement();
            open.executeUpdate("INSERT INTO probe VALUES (1)");
            ResultSet left = open.executeQuery("SELECT id FROM probe");
            // As with any Derby connection, an open transaction must end before the connection closes.
            assertThrows(SQLException.class, careless::close);
            careless.rollback();
            careless.close(); // auto-commit off, serializable, a statement and a result set still open
            assertTrue(careless.isClosed());
            assertTrue(left.isClosed() || open.isClosed(), "what it left open is closed with it");
            assertEquals(1, database.idleConnections());

            try (Connection next = database.getConnection();
                    Statement s = next.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM probe")) {
                assertEquals(0, database.idleConnections(), "the same physical connection again");
                assertTrue(next.getAutoCommit(), "auto-commit is back on");
                assertEquals(Connection.TRANSACTION_READ_COMMITTED, next.getTransactionIsolation());
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "the careless user's insert is not there");
            }

            Connection[] many = new Connection[DerbyDataSource.MAX_IDLE + 4];
            for (int i = 0; i < many.length; i++) {
                many[i] = database.getConnection();
            }
            for (Connection c : many) {
                c.close();
            }
            assertEquals(DerbyDataSource.MAX_IDLE, database.idleConnections(), "at most MAX_IDLE are kept");
        } finally {
            database.shutdown();
        }
        assertEquals(0, database.idleConnections(), "shutting down closes the idle connections");
    }

    @Test
    void configuredFolderWinsOverTheFrameworkProperty() {
        assertEquals(Path.of("/x"), DerbyDataSource.dataFolder("/x", "/y"));
        assertEquals(Path.of("/y"), DerbyDataSource.dataFolder("", "/y"));
        assertEquals(Path.of("data"), DerbyDataSource.dataFolder(" ", null));
    }
}
