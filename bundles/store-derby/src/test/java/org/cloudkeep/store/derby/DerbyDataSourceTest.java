package org.cloudkeep.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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
    void configuredFolderWinsOverTheFrameworkProperty() {
        assertEquals(Path.of("/x"), DerbyDataSource.dataFolder("/x", "/y"));
        assertEquals(Path.of("/y"), DerbyDataSource.dataFolder("", "/y"));
        assertEquals(Path.of("data"), DerbyDataSource.dataFolder(" ", null));
    }
}
