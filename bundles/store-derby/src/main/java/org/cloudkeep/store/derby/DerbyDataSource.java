package org.cloudkeep.store.derby;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.apache.derby.jdbc.EmbeddedConnectionPoolDataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.LoggerFactory;

/**
 * The runtime's database: an embedded Derby database in the data folder, offered as a {@link
 * DataSource} service. Booted on activation so that a broken or locked data folder fails at start
 * with a clear message, and shut down cleanly on deactivation so that no recovery is needed next
 * time.
 *
 * <p>Connections are pooled through Derby's own {@link PooledConnection}s: opening an embedded
 * connection builds a whole session (contexts, locale, message bundles), which was 6 to 10 % of the
 * runtimes' CPU while a device fetched, one unit of work after another. Closing a connection
 * handed out here gives its physical connection back; Derby resets it (rollback, auto-commit,
 * isolation, open statements) before it is handed out again. A connection Derby reports broken is
 * dropped, never reused.
 */
@Component(
        service = DataSource.class,
        configurationPid = DerbyDataSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "database=derby")
@Designate(ocd = DerbyConfig.class)
public class DerbyDataSource implements DataSource {

    static final String PID = "cloudkeep.store.derby";
    /** The framework property the launcher sets from {@code --data}. */
    static final String DATA_PROPERTY = "cloudkeep.data";

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(DerbyDataSource.class);

    /** Idle physical connections kept for reuse; more are closed when given back. */
    static final int MAX_IDLE = 16;

    private final EmbeddedDataSource derby = new EmbeddedDataSource();
    private final EmbeddedConnectionPoolDataSource pool = new EmbeddedConnectionPoolDataSource();
    /** Idle physical connections, the most recently used first. */
    private final Deque<PooledConnection> idle = new ArrayDeque<>();

    private final ConnectionEventListener giveBack = new ConnectionEventListener() {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            PooledConnection physical = (PooledConnection) event.getSource();
            synchronized (idle) {
                if (!shutDown && idle.size() < MAX_IDLE) {
                    idle.addFirst(physical);
                    return;
                }
            }
            closeQuietly(physical);
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            closeQuietly((PooledConnection) event.getSource());
        }
    };

    private final Path location;
    private volatile boolean shutDown;

    @Activate
    public DerbyDataSource(BundleContext context, DerbyConfig config) throws SQLException, IOException {
        this(dataFolder(config.dataFolder(), context.getProperty(DATA_PROPERTY)).resolve(config.databaseName()));
    }

    DerbyDataSource(Path location) throws SQLException, IOException {
        this.location = location.toAbsolutePath().normalize();
        Files.createDirectories(this.location.getParent());
        derby.setDatabaseName(this.location.toString());
        derby.setCreateDatabase("create");
        pool.setDatabaseName(this.location.toString());
        try (Connection boot = derby.getConnection()) {
            LOG.info("Embedded database ready at {}", this.location);
        } catch (SQLException e) {
            throw new SQLException(
                    "Cannot open the database at " + this.location
                            + " (is another CloudKeep runtime using this data folder?): " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }

    static Path dataFolder(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty);
        }
        return Path.of("data");
    }

    /** Where the database lives. */
    Path location() {
        return location;
    }

    @Deactivate
    void shutdown() {
        shutDown = true;
        List<PooledConnection> closing;
        synchronized (idle) {
            closing = new ArrayList<>(idle);
            idle.clear();
        }
        closing.forEach(DerbyDataSource::closeQuietly);
        EmbeddedDataSource stopper = new EmbeddedDataSource();
        stopper.setDatabaseName(location.toString());
        stopper.setShutdownDatabase("shutdown");
        try {
            stopper.getConnection().close();
        } catch (SQLException e) {
            // Derby reports a clean shutdown as SQL state 08006.
            if ("08006".equals(e.getSQLState())) {
                LOG.info("Embedded database at {} closed", location);
            } else {
                LOG.warn("Database at {} did not shut down cleanly: {}", location, e.getMessage());
            }
        }
    }

    /** A pooled connection; closing it gives it back. */
    @Override
    public Connection getConnection() throws SQLException {
        PooledConnection physical;
        synchronized (idle) {
            physical = idle.pollFirst();
        }
        if (physical != null) {
            try {
                return physical.getConnection();
            } catch (SQLException e) {
                // It broke while idle (Derby closes a connection whose thread was interrupted in I/O).
                closeQuietly(physical);
            }
        }
        physical = pool.getPooledConnection();
        physical.addConnectionEventListener(giveBack);
        return physical.getConnection();
    }

    /** Idle physical connections now. */
    int idleConnections() {
        synchronized (idle) {
            return idle.size();
        }
    }

    private static void closeQuietly(PooledConnection physical) {
        try {
            physical.close();
        } catch (SQLException e) {
            // It is dropped either way.
        }
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
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return derby.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
