package org.cloudkeep.accounts.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.Principal;

/**
 * Every SQL statement of the bundle, on the tables of {@code V1__backup.sql}. Plain JDBC with
 * prepared statements, portable between Derby and PostgreSQL. Every statement about what a user
 * owns carries {@code user_id = ?}.
 *
 * <p>Generated ids are read with {@link Statement#RETURN_GENERATED_KEYS} and column 1: Derby wants
 * the identity column's name in upper case ({@code "ID"}) while the PostgreSQL driver quotes the
 * names it is given (so {@code "ID"} would not be found there); with the flag, Derby answers the
 * identity and PostgreSQL the whole row, whose first column is {@code id} in every table here.
 */
final class AccountsSql {

    /** Unique constraint violated: the same SQL state in Derby and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Foreign key violated: the same SQL state in Derby and PostgreSQL. */
    static final String FOREIGN_KEY_VIOLATION = "23503";

    /** The state of a new container: its first traversal is due at {@code next_traversal_at}. */
    static final String WAITING = "WAITING";

    static final String INSERT_USER = "INSERT INTO ck_users (username, password_hash, created_at) VALUES (?, ?, ?)";
    static final String SELECT_LOGIN = "SELECT id, password_hash FROM ck_users WHERE username = ?";
    static final String UPDATE_PASSWORD_HASH = "UPDATE ck_users SET password_hash = ? WHERE id = ?";

    static final String INSERT_TOKEN = "INSERT INTO ck_tokens (token_hash, kind, user_id, device_id, created_at, "
            + "expires_at) VALUES (?, ?, ?, ?, ?, ?)";
    static final String SELECT_VALID_TOKEN = "SELECT user_id, device_id FROM ck_tokens WHERE token_hash = ? "
            + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
    static final String SELECT_TOKEN = "SELECT kind, user_id, device_id FROM ck_tokens WHERE token_hash = ?";
    static final String REVOKE_TOKEN =
            "UPDATE ck_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL";

    static final String INSERT_DEVICE =
            "INSERT INTO ck_devices (user_id, serial, name, created_at) VALUES (?, ?, ?, ?)";
    static final String SELECT_DEVICE_OF_USER = "SELECT id FROM ck_devices WHERE id = ? AND user_id = ?";

    static final String INSERT_ACCOUNT = "INSERT INTO ck_accounts (user_id, provider, label, sealed_credentials, "
            + "created_at) VALUES (?, ?, ?, ?, ?)";
    static final String SELECT_ACCOUNT_OF_USER = "SELECT id FROM ck_accounts WHERE id = ? AND user_id = ?";
    static final String UPDATE_SEALED_ACCOUNT = "UPDATE ck_accounts SET sealed_credentials = ? WHERE id = ?";

    static final String SELECT_SEALED_ACCOUNT =
            "SELECT user_id, provider, sealed_credentials FROM ck_accounts WHERE id = ?";

    static final String INSERT_CONTAINER = "INSERT INTO ck_containers (user_id, account_id, device_id, folders, "
            + "group_size, traverse_every_hours, snapshot, state, next_traversal_at, failures, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, 0, '" + WAITING + "', ?, 0, ?)";
    private static final String SELECT_CONTAINERS = "SELECT c.id, c.user_id, c.account_id, a.provider, c.device_id, "
            + "c.folders, c.group_size, c.traverse_every_hours, c.snapshot, c.state, c.next_traversal_at, "
            + "c.last_error, c.last_finished_at, c.last_added, c.last_changed, c.last_removed, c.last_unchanged "
            + "FROM ck_containers c JOIN ck_accounts a ON a.id = c.account_id";
    static final String SELECT_CONTAINER = SELECT_CONTAINERS + " WHERE c.id = ?";
    static final String SELECT_CONTAINER_OF_USER = SELECT_CONTAINERS + " WHERE c.id = ? AND c.user_id = ?";
    static final String SELECT_CONTAINERS_OF_DEVICE = SELECT_CONTAINERS + " WHERE c.device_id = ? ORDER BY c.id";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final ObjectMapper json;

    AccountsSql(ObjectMapper json) {
        this.json = json;
    }

    // users

    long insertUser(Connection c, String username, String passwordHash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_USER, Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, username);
            s.setString(2, passwordHash);
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
            return generatedId(s);
        }
    }

    Optional<Login> login(Connection c, String username) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_LOGIN)) {
            s.setString(1, username);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Login(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    void updatePasswordHash(Connection c, long userId, String passwordHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPDATE_PASSWORD_HASH)) {
            s.setString(1, passwordHash);
            s.setLong(2, userId);
            s.executeUpdate();
        }
    }

    // tokens

    void insertToken(
            Connection c, String tokenHash, String kind, long userId, Long deviceId, Instant now, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_TOKEN)) {
            s.setString(1, tokenHash);
            s.setString(2, kind);
            s.setLong(3, userId);
            if (deviceId == null) {
                s.setNull(4, Types.BIGINT);
            } else {
                s.setLong(4, deviceId);
            }
            s.setTimestamp(5, Timestamp.from(now));
            if (expiresAt == null) {
                s.setNull(6, Types.TIMESTAMP);
            } else {
                s.setTimestamp(6, Timestamp.from(expiresAt));
            }
            s.executeUpdate();
        }
    }

    /** Whose token this is, if it is neither revoked nor expired at {@code now}. */
    Optional<Principal> validToken(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_VALID_TOKEN)) {
            s.setString(1, tokenHash);
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long userId = rs.getLong(1);
                long deviceId = rs.getLong(2);
                return Optional.of(new Principal(userId, rs.wasNull() ? null : deviceId));
            }
        }
    }

    /** A token whatever its state: its kind and whose it is. */
    Optional<TokenOwner> token(Connection c, String tokenHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_TOKEN)) {
            s.setString(1, tokenHash);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String kind = rs.getString(1);
                long userId = rs.getLong(2);
                long deviceId = rs.getLong(3);
                return Optional.of(new TokenOwner(kind, userId, rs.wasNull() ? null : deviceId));
            }
        }
    }

    /** Revokes a token unless it was already; answers whether it did. */
    boolean revokeToken(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(REVOKE_TOKEN)) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, tokenHash);
            return s.executeUpdate() > 0;
        }
    }

    // devices

    long insertDevice(Connection c, long userId, String serial, String name, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_DEVICE, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, userId);
            s.setString(2, serial);
            s.setString(3, name);
            s.setTimestamp(4, Timestamp.from(now));
            s.executeUpdate();
            return generatedId(s);
        }
    }

    boolean deviceOfUser(Connection c, long userId, long deviceId) throws SQLException {
        return exists(c, SELECT_DEVICE_OF_USER, deviceId, userId);
    }

    // accounts

    long insertAccount(Connection c, long userId, String provider, String label, String sealed, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_ACCOUNT, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, userId);
            s.setString(2, provider);
            s.setString(3, label);
            s.setString(4, sealed);
            s.setTimestamp(5, Timestamp.from(now));
            s.executeUpdate();
            return generatedId(s);
        }
    }

    boolean accountOfUser(Connection c, long userId, long accountId) throws SQLException {
        return exists(c, SELECT_ACCOUNT_OF_USER, accountId, userId);
    }

    boolean updateSealedAccount(Connection c, long accountId, String sealed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPDATE_SEALED_ACCOUNT)) {
            s.setString(1, sealed);
            s.setLong(2, accountId);
            return s.executeUpdate() > 0;
        }
    }

    Optional<SealedAccount> sealedAccount(Connection c, long accountId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_SEALED_ACCOUNT)) {
            s.setLong(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SealedAccount(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    // containers

    long insertContainer(
            Connection c,
            long userId,
            long accountId,
            long deviceId,
            String foldersJson,
            int groupSize,
            int traverseEveryHours,
            Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_CONTAINER, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, userId);
            s.setLong(2, accountId);
            s.setLong(3, deviceId);
            s.setString(4, foldersJson);
            s.setInt(5, groupSize);
            s.setInt(6, traverseEveryHours);
            s.setTimestamp(7, Timestamp.from(now)); // the first traversal is due at once
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
            return generatedId(s);
        }
    }

    Optional<Container> container(Connection c, long containerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_CONTAINER)) {
            s.setLong(1, containerId);
            return first(s);
        }
    }

    Optional<Container> containerOfUser(Connection c, long userId, long containerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_CONTAINER_OF_USER)) {
            s.setLong(1, containerId);
            s.setLong(2, userId);
            return first(s);
        }
    }

    List<Container> containersOfDevice(Connection c, long deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_CONTAINERS_OF_DEVICE)) {
            s.setLong(1, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                List<Container> containers = new ArrayList<>();
                while (rs.next()) {
                    containers.add(container(rs));
                }
                return containers;
            }
        }
    }

    /** The folders as the database keeps them: a JSON array of provider paths. */
    String foldersJson(List<String> folders) {
        try {
            return json.writeValueAsString(folders);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of folders as JSON", e);
        }
    }

    private Optional<Container> first(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(container(rs)) : Optional.empty();
        }
    }

    private Container container(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        Timestamp finished = rs.getTimestamp("last_finished_at");
        Container.TraversalSummary last = finished == null
                ? null
                : new Container.TraversalSummary(
                        finished.toInstant(),
                        rs.getLong("last_added"),
                        rs.getLong("last_changed"),
                        rs.getLong("last_removed"),
                        rs.getLong("last_unchanged"));
        return new Container(
                id,
                rs.getLong("user_id"),
                rs.getLong("account_id"),
                rs.getString("provider"),
                rs.getLong("device_id"),
                folders(id, rs.getString("folders")),
                rs.getInt("group_size"),
                rs.getInt("traverse_every_hours"),
                rs.getInt("snapshot"),
                rs.getString("state"),
                rs.getTimestamp("next_traversal_at").toInstant(),
                rs.getString("last_error"),
                last);
    }

    private List<String> folders(long containerId, String stored) {
        try {
            return json.readValue(stored, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the folders of container " + containerId + " are not a JSON array", e);
        }
    }

    private static boolean exists(Connection c, String sql, long id, long userId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.setLong(2, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long generatedId(Statement s) throws SQLException {
        try (ResultSet keys = s.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database did not answer the generated id");
            }
            return keys.getLong(1);
        }
    }

    /** Whether a failure, or one it wraps or is chained to, has this SQL state. */
    static boolean hasState(SQLException failure, String sqlState) {
        for (Throwable t : failure) {
            if (t instanceof SQLException e && sqlState.equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A user's id and stored password hash. */
    record Login(long userId, String passwordHash) {}

    /** Whose a token is. */
    record TokenOwner(String kind, long userId, Long deviceId) {}

    /** A provider account's sealed credentials and what they are bound to. */
    record SealedAccount(long userId, String provider, String sealed) {}
}
