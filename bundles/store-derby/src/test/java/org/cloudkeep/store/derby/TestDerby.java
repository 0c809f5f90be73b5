package org.cloudkeep.store.derby;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real embedded Derby database in a test's folder, shut down on close. Shared with other
 * modules' tests through this module's test jar.
 */
public final class TestDerby implements DataSource, AutoCloseable {

    private final DerbyDataSource derby;

    public TestDerby(Path location) throws Exception {
        this.derby = new DerbyDataSource(location);
    }

    @Override
    public void close() {
        derby.shutdown();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return derby.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return derby.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return derby.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        derby.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        derby.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return derby.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("derby");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return derby.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return derby.isWrapperFor(type);
    }
}
