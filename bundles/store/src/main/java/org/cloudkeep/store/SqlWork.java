package org.cloudkeep.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection; see {@link Database}. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection connection) throws SQLException;
}
