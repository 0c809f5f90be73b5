package org.cloudkeep.accounts.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.AccountsException.Reason;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.DeviceRegistration;
import org.cloudkeep.accounts.NewContainer;
import org.cloudkeep.accounts.Principal;
import org.cloudkeep.accounts.internal.AccountsSql.Login;
import org.cloudkeep.accounts.internal.AccountsSql.SealedAccount;
import org.cloudkeep.accounts.internal.AccountsSql.TokenOwner;
import org.cloudkeep.accounts.internal.CredentialSeal.BrokenSealException;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, their tokens, devices, provider accounts and containers, in the cloud database.
 *
 * <p>Passwords are kept as PBKDF2 hashes ({@link Passwords}), tokens as SHA-256 hashes ({@link
 * Tokens}), provider credentials sealed with AES-GCM under the key file ({@link CredentialSeal}).
 * Password arrays handed in are cleared before the call returns. Nothing secret is logged: only
 * ids, usernames, serials, labels and provider ids.
 *
 * <p>Input errors are {@link Reason#INVALID}; a database that fails is an {@link
 * IllegalStateException}, since no {@link Reason} fits a server fault.
 */
@Component(configurationPid = AccountsService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AccountsConfig.class)
public class AccountsService implements Accounts {

    static final String PID = "cloudkeep.accounts";
    /** The one answer to a failed login, whether the username or the password was wrong. */
    static final String WRONG_LOGIN = "wrong username or password";
    /** The column sizes of {@code ck_containers.folders} and {@code ck_accounts.sealed_credentials}. */
    static final int MAX_FOLDERS_JSON = 16_000;

    static final int MAX_SEALED = 16_000;

    private static final Logger LOG = LoggerFactory.getLogger(AccountsService.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final Database database;
    private final ProviderRegistry providers;
    private final Settings settings;
    private final Clock clock;
    private final Passwords passwords;
    private final Tokens tokens;
    private final CredentialSeal seal;
    private final ObjectMapper json = new ObjectMapper();
    private final AccountsSql sql = new AccountsSql(json);

    @Activate
    public AccountsService(
            @Reference(name = "database") Database database,
            @Reference(name = "providers") ProviderRegistry providers,
            BundleContext context,
            AccountsConfig config)
            throws IOException {
        this(
                database,
                providers,
                Settings.from(config, context.getProperty(Settings.DATA_PROPERTY)),
                Clock.systemUTC());
    }

    AccountsService(Database database, ProviderRegistry providers, Settings settings, Clock clock) throws IOException {
        this.database = database;
        this.providers = providers;
        this.settings = settings;
        this.clock = clock;
        SecureRandom random = new SecureRandom();
        this.passwords = new Passwords(settings.passwordIterations(), random);
        this.tokens = new Tokens(random);
        this.seal = CredentialSeal.open(settings.keyFile(), random);
        LOG.info(
                "Accounts ready: sessions last {} days, credentials sealed under {}",
                settings.sessionDays(),
                seal.keyFile());
    }

    // users and sessions

    @Override
    public long createUser(String username, char[] password) throws AccountsException {
        try {
            String name = Validation.username(username);
            Validation.password(password);
            String hash = passwords.hash(password);
            long id = database.read(c -> sql.insertUser(c, name, hash, now()));
            LOG.info("User '{}' created with id {}", name, id);
            return id;
        } catch (SQLException e) {
            if (AccountsSql.hasState(e, AccountsSql.UNIQUE_VIOLATION)) {
                throw new AccountsException(
                        Reason.CONFLICT, "the username '" + Validation.loginName(username) + "' is taken", e);
            }
            throw databaseFailure("creating a user", e);
        } finally {
            clear(password);
        }
    }

    @Override
    public String openSession(String username, char[] password) throws AccountsException {
        try {
            if (username == null || password == null) {
                throw Validation.invalid("a username and a password are required");
            }
            String name = Validation.loginName(username);
            Optional<Login> login = name.isEmpty() || name.length() > Validation.MAX_USERNAME
                    ? Optional.empty()
                    : database.read(c -> sql.login(c, name));
            if (login.isEmpty()) {
                passwords.burn(password); // as slow as a wrong password: no hint that the name is free
                // The name is not logged: people type their password into the username field.
                LOG.info("Failed login: unknown username");
                throw new AccountsException(Reason.UNAUTHORIZED, WRONG_LOGIN);
            }
            long userId = login.get().userId();
            String stored = login.get().passwordHash();
            if (!matches(userId, password, stored)) {
                LOG.info("Failed login for user {}: wrong password", userId);
                throw new AccountsException(Reason.UNAUTHORIZED, WRONG_LOGIN);
            }
            upgradeHash(userId, password, stored);
            String token = tokens.newToken();
            Instant now = now();
            Instant expires = now.plus(Duration.ofDays(settings.sessionDays()));
            database.read(c -> {
                sql.insertToken(c, Tokens.hash(token), Tokens.SESSION, userId, null, now, expires);
                return null;
            });
            LOG.info("Session opened for user {} ('{}') until {}", userId, name, expires);
            return token;
        } catch (SQLException e) {
            throw databaseFailure("opening a session", e);
        } finally {
            clear(password);
        }
    }

    private boolean matches(long userId, char[] password, String stored) {
        try {
            return passwords.verify(password, stored);
        } catch (IllegalArgumentException e) {
            LOG.error("The stored password hash of user {} is not one this version reads: {}", userId, e.getMessage());
            return false;
        }
    }

    /** Re-hashes a password whose hash has fewer iterations than configured now; best effort. */
    private void upgradeHash(long userId, char[] password, String stored) {
        if (!passwords.outdated(stored)) {
            return;
        }
        try {
            String hash = passwords.hash(password);
            database.read(c -> {
                sql.updatePasswordHash(c, userId, hash);
                return null;
            });
            LOG.info("Password hash of user {} upgraded to {} iterations", userId, settings.passwordIterations());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not upgrade the password hash of user {}: {}", userId, e.toString());
        }
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        if (!Tokens.wellFormed(bearerToken)) {
            return Optional.empty();
        }
        try {
            return database.read(c -> sql.validToken(c, Tokens.hash(bearerToken), now()));
        } catch (SQLException e) {
            throw databaseFailure("checking a token", e);
        }
    }

    @Override
    public void revoke(String bearerToken) {
        if (!Tokens.wellFormed(bearerToken)) {
            return;
        }
        String hash = Tokens.hash(bearerToken);
        try {
            Optional<TokenOwner> revoked = database.inTransaction(c -> {
                Optional<TokenOwner> owner = sql.token(c, hash);
                return owner.isPresent() && sql.revokeToken(c, hash, now()) ? owner : Optional.empty();
            });
            revoked.ifPresent(owner -> LOG.info(
                    "{} token of user {}{} revoked",
                    owner.kind(),
                    owner.userId(),
                    owner.deviceId() == null ? "" : ", device " + owner.deviceId()));
        } catch (SQLException e) {
            throw databaseFailure("revoking a token", e);
        }
    }

    // devices

    @Override
    public DeviceRegistration registerDevice(long userId, String serial, String name) throws AccountsException {
        String checkedSerial = Validation.text("device serial", serial, Validation.MAX_SERIAL);
        String checkedName = Validation.text("device name", name, Validation.MAX_NAME);
        String token = tokens.newToken();
        try {
            Instant now = now();
            long deviceId = database.inTransaction(c -> {
                long id = sql.insertDevice(c, userId, checkedSerial, checkedName, now);
                sql.insertToken(c, Tokens.hash(token), Tokens.DEVICE, userId, id, now, null);
                return id;
            });
            LOG.info(
                    "Device {} ('{}', serial {}) registered for user {}", deviceId, checkedName, checkedSerial, userId);
            return new DeviceRegistration(deviceId, token);
        } catch (SQLException e) {
            if (AccountsSql.hasState(e, AccountsSql.UNIQUE_VIOLATION)) {
                throw new AccountsException(
                        Reason.CONFLICT, "a device with serial '" + checkedSerial + "' is already registered", e);
            }
            if (AccountsSql.hasState(e, AccountsSql.FOREIGN_KEY_VIOLATION)) {
                throw userNotFound(userId, e);
            }
            throw databaseFailure("registering a device", e);
        }
    }

    // provider accounts

    @Override
    public long createAccount(long userId, String provider, String label, Map<String, String> credentials)
            throws AccountsException {
        if (provider == null || provider.isBlank()) {
            throw Validation.invalid("the provider is required");
        }
        String checkedLabel = Validation.text("label", label, Validation.MAX_LABEL);
        String providerName = EntryPaths.printable(provider);
        CloudDriveProvider installed = providers
                .find(provider)
                .orElseThrow(() ->
                        new AccountsException(Reason.REJECTED, "provider '" + providerName + "' is not installed"));
        ProviderDescriptor descriptor = describe(installed, providerName);
        Map<String, String> values = credentialsFor(descriptor, providerName, credentials);
        // What the check learned (a host key trusted on first use, a refreshed token) is kept from the start.
        check(installed, providerName, userId, values).forEach((name, value) -> {
            if (value != null
                    && descriptor.credentials().stream().anyMatch(f -> f.name().equals(name))) {
                values.put(name, value);
            }
        });
        String sealed = sealCredentials(userId, provider, values);
        try {
            long id = database.read(c -> sql.insertAccount(c, userId, provider, checkedLabel, sealed, now()));
            LOG.info("Account {} ('{}', provider {}) created for user {}", id, checkedLabel, provider, userId);
            return id;
        } catch (SQLException e) {
            if (AccountsSql.hasState(e, AccountsSql.FOREIGN_KEY_VIOLATION)) {
                throw userNotFound(userId, e);
            }
            throw databaseFailure("creating an account", e);
        }
    }

    private static ProviderDescriptor describe(CloudDriveProvider provider, String providerName)
            throws AccountsException {
        try {
            return Objects.requireNonNull(provider.descriptor(), "descriptor");
        } catch (RuntimeException e) {
            LOG.warn("Provider '{}' cannot describe itself", providerName, e);
            throw new AccountsException(Reason.REJECTED, "provider '" + providerName + "' is not working", e);
        }
    }

    /**
     * The credentials, in the order of the descriptor's fields, when they have exactly its fields.
     */
    private static Map<String, String> credentialsFor(
            ProviderDescriptor descriptor, String providerName, Map<String, String> given) throws AccountsException {
        Map<String, String> values = given == null ? Map.of() : given;
        Map<String, String> ordered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (CredentialField field : descriptor.credentials()) {
            String value = values.get(field.name());
            if (value == null && field.optional()) {
                continue;
            }
            if (value == null) {
                missing.add("'" + field.name() + "' (" + field.label() + ")");
            } else {
                ordered.put(field.name(), value);
            }
        }
        if (!missing.isEmpty()) {
            throw new AccountsException(
                    Reason.REJECTED,
                    "provider '" + providerName + "' needs the credential" + (missing.size() > 1 ? "s " : " ")
                            + String.join(", ", missing));
        }
        List<String> unknown = values.keySet().stream()
                .filter(name -> !ordered.containsKey(name))
                .map(name -> "'" + EntryPaths.printable(name) + "'")
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            List<String> known =
                    descriptor.credentials().stream().map(CredentialField::name).toList();
            throw new AccountsException(
                    Reason.REJECTED,
                    "provider '" + providerName + "' does not take the credential"
                            + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + " (it takes: "
                            + String.join(", ", known) + ")");
        }
        return ordered;
    }

    /** Asks the provider to connect with the credentials, and closes the session at once. */
    /** Connects once; answers the credentials the session renewed (usually none). */
    private static Map<String, String> check(
            CloudDriveProvider provider, String providerName, long userId, Map<String, String> values)
            throws AccountsException {
        try (ProviderSession session = provider.connect(Map.copyOf(values))) {
            Objects.requireNonNull(session, "session");
            Map<String, String> renewed = session.renewedCredentials();
            return renewed == null ? Map.of() : renewed;
        } catch (BadCredentialsException e) {
            LOG.info("Provider '{}' rejected the credentials of a new account of user {}", providerName, userId);
            throw new AccountsException(
                    Reason.REJECTED,
                    e.getMessage() == null || e.getMessage().isBlank()
                            ? "provider '" + providerName + "' rejected the credentials"
                            : e.getMessage(),
                    e);
        } catch (RateLimitedException e) {
            long seconds = Math.max(1, e.retryAfter().toSeconds());
            throw new AccountsException(
                    Reason.REJECTED,
                    "provider '" + providerName + "' asks to slow down and could not check the credentials: "
                            + e.getMessage() + "; try again in " + seconds + " seconds",
                    e);
        } catch (ProviderException e) {
            LOG.info(
                    "Provider '{}' could not check the credentials of a new account of user {} ({})",
                    providerName,
                    userId,
                    e.getClass().getSimpleName());
            throw new AccountsException(
                    Reason.REJECTED,
                    "provider '" + providerName + "' could not check the credentials: " + e.getMessage()
                            + (e.retryable() ? "; try again later" : ""),
                    e);
        } catch (RuntimeException e) {
            // Its message may quote the credentials: the stack trace only at debug level.
            LOG.warn(
                    "Provider '{}' failed while checking the credentials of user {}: {}",
                    providerName,
                    userId,
                    e.getClass().getName());
            LOG.debug("Provider '{}' failure", providerName, e);
            throw new AccountsException(
                    Reason.REJECTED, "provider '" + providerName + "' failed while checking the credentials", e);
        }
    }

    private String sealCredentials(long userId, String provider, Map<String, String> values) throws AccountsException {
        byte[] plain;
        try {
            plain = json.writeValueAsBytes(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write credentials as JSON", e);
        }
        try {
            String sealed = seal.seal(userId, provider, plain);
            if (sealed.length() > MAX_SEALED) {
                throw Validation.invalid("the credentials are too long (" + plain.length + " bytes as JSON; "
                        + "at most about " + (MAX_SEALED * 3 / 4 - 40) + ")");
            }
            return sealed;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public void renewCredentials(long accountId, Map<String, String> renewed) throws AccountsException {
        AccountCredentials current = credentials(accountId);
        Map<String, String> values = new LinkedHashMap<>(current.credentials());
        values.putAll(renewed);
        long userId;
        try {
            userId = database.read(c -> sql.sealedAccount(c, accountId))
                    .orElseThrow(() -> accountNotFound(accountId))
                    .userId();
            String sealed = sealCredentials(userId, current.provider(), values);
            if (!database.read(c -> sql.updateSealedAccount(c, accountId, sealed))) {
                throw accountNotFound(accountId);
            }
        } catch (SQLException e) {
            throw databaseFailure("renewing an account's credentials", e);
        }
        LOG.info(
                "Account {}: credentials renewed by provider '{}' ({} fields)",
                accountId,
                current.provider(),
                renewed.size());
    }

    @Override
    public AccountCredentials credentials(long accountId) throws AccountsException {
        SealedAccount account;
        try {
            account = database.read(c -> sql.sealedAccount(c, accountId)).orElseThrow(() -> accountNotFound(accountId));
        } catch (SQLException e) {
            throw databaseFailure("reading an account", e);
        }
        byte[] plain;
        try {
            plain = seal.unseal(account.userId(), account.provider(), account.sealed());
        } catch (BrokenSealException e) {
            LOG.error("The sealed credentials of account {} cannot be opened: {}", accountId, e.getMessage());
            throw new AccountsException(
                    Reason.REJECTED,
                    "the stored credentials of account " + accountId + " cannot be unsealed: " + e.getMessage()
                            + "; enter them again, or restore the key file they were sealed with",
                    e);
        }
        try {
            return new AccountCredentials(account.provider(), json.readValue(plain, STRING_MAP));
        } catch (IOException e) {
            throw new AccountsException(
                    Reason.REJECTED,
                    "the stored credentials of account " + accountId + " are unsealed but unreadable; enter them "
                            + "again");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    // containers

    @Override
    public long createContainer(long userId, NewContainer container) throws AccountsException {
        if (container == null) {
            throw Validation.invalid("the container is required");
        }
        List<String> folders = Validation.folders(container.folders());
        int groupSize = Validation.groupSize(container.groupSize(), settings.defaultGroupSize());
        int hours = Validation.traverseEveryHours(container.traverseEveryHours(), settings.defaultTraverseEveryHours());
        String foldersJson = sql.foldersJson(folders);
        if (foldersJson.length() > MAX_FOLDERS_JSON) {
            throw Validation.invalid("the folders are too long together (" + foldersJson.length()
                    + " characters as JSON; at most " + MAX_FOLDERS_JSON + ")");
        }
        long accountId = container.accountId();
        long deviceId = container.deviceId();
        try {
            Instant now = now();
            long id = database.inTransaction(c -> {
                if (!sql.accountOfUser(c, userId, accountId)) {
                    throw new NotOwned(accountNotFound(accountId));
                }
                if (!sql.deviceOfUser(c, userId, deviceId)) {
                    throw new NotOwned(new AccountsException(Reason.NOT_FOUND, "device " + deviceId + " not found"));
                }
                return sql.insertContainer(c, userId, accountId, deviceId, foldersJson, groupSize, hours, now);
            });
            LOG.info(
                    "Container {} created for user {}: account {} to device {}, {} folder(s), groups of {}, every {} h",
                    id,
                    userId,
                    accountId,
                    deviceId,
                    folders.size(),
                    groupSize,
                    hours);
            return id;
        } catch (NotOwned e) {
            throw e.reason;
        } catch (SQLException e) {
            throw databaseFailure("creating a container", e);
        }
    }

    @Override
    public Optional<Container> container(long userId, long containerId) {
        try {
            return database.read(c -> sql.containerOfUser(c, userId, containerId));
        } catch (SQLException e) {
            throw databaseFailure("reading a container", e);
        }
    }

    @Override
    public Optional<Container> container(long containerId) {
        try {
            return database.read(c -> sql.container(c, containerId));
        } catch (SQLException e) {
            throw databaseFailure("reading a container", e);
        }
    }

    @Override
    public List<Container> containersOfDevice(long deviceId) {
        try {
            return database.read(c -> sql.containersOfDevice(c, deviceId));
        } catch (SQLException e) {
            throw databaseFailure("reading the containers of a device", e);
        }
    }

    // helpers

    /** Now, to the millisecond: what every database keeps exactly. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }

    private static AccountsException accountNotFound(long accountId) {
        return new AccountsException(Reason.NOT_FOUND, "account " + accountId + " not found");
    }

    private static AccountsException userNotFound(long userId, SQLException cause) {
        return new AccountsException(Reason.NOT_FOUND, "user " + userId + " not found", cause);
    }

    private static IllegalStateException databaseFailure(String doing, SQLException e) {
        return new IllegalStateException(
                "the database failed while " + doing + ": " + e.getMessage() + " (SQL state " + e.getSQLState() + ")",
                e);
    }

    /** Leaves a transaction, rolling it back, because the caller does not own what it names. */
    private static final class NotOwned extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient AccountsException reason;

        NotOwned(AccountsException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }
}
