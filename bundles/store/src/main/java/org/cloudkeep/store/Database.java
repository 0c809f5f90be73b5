package org.cloudkeep.store;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's database with its schema current: registered only after every migration of the
 * runtime's schema ({@code cloud} or {@code device}) was applied. The SQL of the schema is portable
 * between embedded Derby and PostgreSQL.
 */
@ProviderType
public interface Database {

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws. Work
     * that fails midway therefore leaves nothing behind.
     */
    <T> T inTransaction(SqlWork<T> work) throws SQLException;

    /** Runs work on a connection in auto-commit mode, for reads and single statements. */
    <T> T read(SqlWork<T> work) throws SQLException;

    /** The data source behind it, for work that manages its own connections and commits. */
    DataSource dataSource();
}
