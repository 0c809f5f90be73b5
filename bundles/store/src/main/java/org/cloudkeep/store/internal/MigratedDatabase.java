package org.cloudkeep.store.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.cloudkeep.store.Database;
import org.cloudkeep.store.SqlWork;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** Migrates the schema at start (immediate: whether or not anything uses it yet), then offers the {@link Database}. */
@Component(
        immediate = true,
        configurationPid = MigratedDatabase.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfig.class)
public class MigratedDatabase implements Database {

    static final String PID = "cloudkeep.store";

    private final DataSource dataSource;

    @Activate
    public MigratedDatabase(
            @Reference(name = "dataSource") DataSource dataSource, BundleContext context, StoreConfig config)
            throws SQLException, IOException {
        this(dataSource, schema(config.schema(), context.getProperty("cloudkeep.runtime")));
    }

    MigratedDatabase(DataSource dataSource, String schema) throws SQLException, IOException {
        this.dataSource = dataSource;
        new Migrations(MigratedDatabase.class.getClassLoader(), schema).apply(dataSource);
    }

    static String schema(String configured, String runtime) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return runtime == null || runtime.isBlank() ? "cloud" : runtime;
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }
}
