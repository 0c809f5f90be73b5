package org.cloudkeep.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a schema's versioned migrations in order, each in its own transaction, and records them
 * in {@code ck_schema}. A schema's migrations are the files listed in {@code db/<schema>/migrations}
 * (one {@code V<n>__<what>.sql} a line); a migration once released is never edited, only followed
 * by a new one.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** Tries of the whole migration when the connection is lost on the way. */
    private static final int CONNECTION_ATTEMPTS = 3;

    private static final Pattern NAME = Pattern.compile("V(\\d+)__[A-Za-z0-9_]+\\.sql");

    private final ClassLoader resources;
    private final String schema;

    Migrations(ClassLoader resources, String schema) {
        if (!schema.matches("[a-z]+")) {
            throw new IllegalArgumentException("schema must be a lower-case word, not '" + schema + "'");
        }
        this.resources = resources;
        this.schema = schema;
    }

    /** The migrations of the schema, in order. */
    List<Migration> list() throws IOException {
        String index = read("db/" + schema + "/migrations");
        List<Migration> migrations = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IOException("migration name '" + name + "' is not V<n>__<what>.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != migrations.size() + 1) {
                throw new IOException("migration " + name + " should be version " + (migrations.size() + 1));
            }
            migrations.add(new Migration(version, name, statements(read("db/" + schema + "/" + name))));
        }
        return migrations;
    }

    /**
     * Brings the database up to the newest version.
     *
     * @return the version it is at now
     */
    int apply(DataSource dataSource) throws SQLException, IOException {
        List<Migration> migrations = list();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                ensureVersionTable(c);
                int current = currentVersion(c);
                if (current > migrations.size()) {
                    throw new SQLException("the database is at schema version " + current + " of '" + schema
                            + "', newer than this CloudKeep knows (" + migrations.size() + "); use a newer CloudKeep");
                }
                for (Migration migration : migrations.subList(current, migrations.size())) {
                    apply(c, migration);
                }
                return migrations.size();
            } catch (SQLException e) {
                // A connection lost mid-way (Derby closes one whose thread was interrupted) left
                // every migration either applied and recorded or rolled back: trying again is safe.
                if (attempt >= CONNECTION_ATTEMPTS || !connectionLost(e)) {
                    throw e;
                }
                LOG.warn(
                        "Schema '{}': the connection was lost while migrating ({}); trying again",
                        schema,
                        e.getMessage());
            }
        }
    }

    private static boolean connectionLost(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && state.startsWith("08")) {
                return true;
            }
            if (next.getCause() instanceof SQLException cause && cause != next) {
                return connectionLost(cause);
            }
        }
        return false;
    }

    private void apply(Connection c, Migration migration) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : migration.statements()) {
                s.execute(sql);
            }
            try (PreparedStatement record = c.prepareStatement(
                    "INSERT INTO ck_schema (schema_name, version, name, applied_at) VALUES (?, ?, ?, ?)")) {
                record.setString(1, schema);
                record.setInt(2, migration.version());
                record.setString(3, migration.name());
                record.setTimestamp(4, Timestamp.from(Instant.now()));
                record.executeUpdate();
            }
            c.commit();
            LOG.info("Schema '{}' migrated to version {} ({})", schema, migration.version(), migration.name());
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException(
                    "migration " + migration.name() + " of schema '" + schema + "' failed: " + e.getMessage(),
                    e.getSQLState(),
                    e);
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void ensureVersionTable(Connection c) throws SQLException {
        try (ResultSet tables = c.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase("ck_schema")) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ck_schema (schema_name VARCHAR(32) NOT NULL, version INT NOT NULL, "
                    + "name VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL, PRIMARY KEY (schema_name, version))");
        }
    }

    private int currentVersion(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT MAX(version) FROM ck_schema WHERE schema_name = ?")) {
            q.setString(1, schema);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Splits a script into statements: they end with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            int comment = trimmed.indexOf(" --");
            if (comment >= 0) {
                trimmed = trimmed.substring(0, comment).strip();
            }
            current.append(current.length() == 0 ? "" : "\n").append(trimmed);
            if (trimmed.endsWith(";")) {
                current.setLength(current.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            statements.add(current.toString());
        }
        return statements;
    }

    private String read(String resource) throws IOException {
        try (InputStream in = resources.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " for schema '" + schema + "'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One migration: its version, file name and statements. */
    record Migration(int version, String name, List<String> statements) {}
}
