package org.cloudkeep.store.derby;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
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

    private final EmbeddedDataSource derby = new EmbeddedDataSource();
    private final Path location;

    @Activate
    public DerbyDataSource(BundleContext context, DerbyConfig config) throws SQLException, IOException {
        this(dataFolder(config.dataFolder(), context.getProperty(DATA_PROPERTY)).resolve(config.databaseName()));
    }

    DerbyDataSource(Path location) throws SQLException, IOException {
        this.location = location.toAbsolutePath().normalize();
        Files.createDirectories(this.location.getParent());
        derby.setDatabaseName(this.location.toString());
        derby.setCreateDatabase("create");
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
