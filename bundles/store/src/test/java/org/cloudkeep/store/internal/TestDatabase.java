package org.cloudkeep.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.SqlWork;
import org.cloudkeep.store.derby.TestDerby;

/**
 * A real embedded Derby database with a schema's migrations applied, for other modules' tests
 * (through this module's test jar). Shut down on close.
 */
public final class TestDatabase implements Database, AutoCloseable {

    private final TestDerby derby;
    private final MigratedDatabase database;

    private TestDatabase(TestDerby derby, MigratedDatabase database) {
        this.derby = derby;
        this.database = database;
    }

    /** The cloud schema in a fresh database under {@code folder}. */
    public static TestDatabase cloud(Path folder) throws Exception {
        TestDerby derby = new TestDerby(folder.resolve("db"));
        return new TestDatabase(derby, new MigratedDatabase(derby, "cloud"));
    }

    /** The device schema in a fresh database under {@code folder}. */
    public static TestDatabase device(Path folder) throws Exception {
        TestDerby derby = new TestDerby(folder.resolve("db"));
        return new TestDatabase(derby, new MigratedDatabase(derby, "device"));
    }

    /** The same database over another data source, for instance one that fails on purpose. */
    public TestDatabase over(DataSource other) throws Exception {
        return new TestDatabase(derby, new MigratedDatabase(other, "cloud"));
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        return database.inTransaction(work);
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
        return database.read(work);
    }

    @Override
    public DataSource dataSource() {
        return database.dataSource();
    }

    /** A connection of the underlying database, for a test's own checks. */
    public Connection connect() throws SQLException {
        return derby.getConnection();
    }

    @Override
    public void close() {
        derby.close();
    }
}
