package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.AccountsException.Reason;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.DeviceRegistration;
import org.cloudkeep.accounts.NewContainer;
import org.cloudkeep.accounts.Principal;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class AccountsServiceTest {

    /** Low, so that the tests run fast; the default is checked in {@link PasswordsTest}. */
    private static final int ITERATIONS = 1_000;

    private static final String GOOD_PASSWORD = "correct horse battery";

    @TempDir
    Path data;

    private TestDatabase db;
    private TestDrive drive;
    private TestDrive.Registry registry;
    private AccountsService accounts;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.cloud(data);
        drive = new TestDrive();
        registry = new TestDrive.Registry();
        registry.installed.put(TestDrive.ID, drive);
        accounts = newService();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    private AccountsService newService() throws IOException {
        return new AccountsService(db, registry, settings(), Clock.systemUTC());
    }

    private Settings settings() {
        return Settings.defaults(data).withPasswordIterations(ITERATIONS);
    }

    // users and sessions

    @Test
    void createsAUserOnceAndRefusesTheSameNameAgain() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        assertTrue(ann > 0);
        String stored = queryString("SELECT password_hash FROM ck_users WHERE id = ?", ann);
        assertTrue(stored.startsWith("pbkdf2-sha256$" + ITERATIONS + "$"), stored);
        assertFalse(stored.contains(GOOD_PASSWORD));

        assertReason(Reason.CONFLICT, () -> accounts.createUser("ann", "another password".toCharArray()));
        assertReason(
                Reason.CONFLICT,
                () -> accounts.createUser("  ann ", "another password".toCharArray()),
                "names are trimmed, so this is the same name");
        assertEquals(1, queryLong("SELECT COUNT(*) FROM ck_users WHERE username = ?", "ann"));
        assertTrue(accounts.createUser("bob", GOOD_PASSWORD.toCharArray()) > ann);
    }

    @Test
    void refusesBadUsernamesAndPasswords() throws Exception {
        char[] ok = GOOD_PASSWORD.toCharArray();
        assertReason(Reason.INVALID, () -> accounts.createUser("", GOOD_PASSWORD.toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser("   ", GOOD_PASSWORD.toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser(null, GOOD_PASSWORD.toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser("a".repeat(65), GOOD_PASSWORD.toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser("ann\nadmin", GOOD_PASSWORD.toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser("ann", "1234567".toCharArray()));
        assertReason(
                Reason.INVALID,
                () -> accounts.createUser("ann", "x".repeat(1025).toCharArray()));
        assertReason(Reason.INVALID, () -> accounts.createUser("ann", null));
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_users"));

        assertTrue(accounts.createUser("a".repeat(64), "12345678".toCharArray()) > 0, "the limits themselves pass");
        assertTrue(accounts.createUser("zoë", ok) > 0);
    }

    @Test
    void aTooLongUsernameIsRefusedWithTheRule() {
        AccountsException e = assertThrows(
                AccountsException.class, () -> accounts.createUser("a".repeat(65), GOOD_PASSWORD.toCharArray()));
        assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
    }

    @Test
    void clearsThePasswordArraysItIsGiven() throws Exception {
        char[] created = GOOD_PASSWORD.toCharArray();
        accounts.createUser("ann", created);
        char[] login = GOOD_PASSWORD.toCharArray();
        accounts.openSession("ann", login);
        char[] refused = "short".toCharArray();
        assertThrows(AccountsException.class, () -> accounts.createUser("bob", refused));

        char[] zeros = new char[GOOD_PASSWORD.length()];
        assertArrayEquals(zeros, created);
        assertArrayEquals(zeros, login);
        assertArrayEquals(new char[5], refused);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAnswerAlike() throws Exception {
        accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        AccountsException wrongPassword = assertThrows(
                AccountsException.class, () -> accounts.openSession("ann", "not her password".toCharArray()));
        AccountsException unknownUser = assertThrows(
                AccountsException.class, () -> accounts.openSession("nobody", GOOD_PASSWORD.toCharArray()));

        assertEquals(Reason.UNAUTHORIZED, wrongPassword.reason());
        assertEquals(Reason.UNAUTHORIZED, unknownUser.reason());
        assertEquals(wrongPassword.getMessage(), unknownUser.getMessage());
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_tokens"), "no session was opened");
    }

    @Test
    void aSessionTokenAuthenticatesItsUserAndIsStoredOnlyHashed() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        Instant before = Instant.now();

        String token = accounts.openSession(" ann ", GOOD_PASSWORD.toCharArray());

        assertEquals(new Principal(ann, null), accounts.authenticate(token).orElseThrow());
        assertFalse(accounts.authenticate(token).orElseThrow().device());
        assertEquals(43, token.length(), "32 random bytes, base64url without padding");
        assertNotEquals(token, accounts.openSession("ann", GOOD_PASSWORD.toCharArray()), "every token is new");

        List<String> hashes = queryStrings("SELECT token_hash FROM ck_tokens");
        assertEquals(2, hashes.size());
        assertTrue(hashes.contains(Tokens.hash(token)));
        assertTrue(hashes.stream().noneMatch(h -> h.contains(token)));
        assertTrue(Tokens.hash(token).matches("[0-9a-f]{64}"));

        Instant expires = queryTimestamp("SELECT expires_at FROM ck_tokens WHERE token_hash = ?", Tokens.hash(token));
        assertTrue(
                !expires.isBefore(before.plus(Duration.ofDays(30)).minusSeconds(1))
                        && expires.isBefore(
                                Instant.now().plus(Duration.ofDays(30)).plusSeconds(1)),
                "a session lasts the configured 30 days: " + expires);
    }

    @Test
    void aTokenNobodyWasGivenDoesNotAuthenticate() throws Exception {
        accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        String real = accounts.openSession("ann", GOOD_PASSWORD.toCharArray());

        assertTrue(
                accounts.authenticate(new Tokens(new SecureRandom()).newToken()).isEmpty());
        assertTrue(accounts.authenticate(real.substring(1) + "A").isEmpty());
        assertTrue(accounts.authenticate("").isEmpty());
        assertTrue(accounts.authenticate(null).isEmpty());
        assertTrue(accounts.authenticate(Tokens.hash(real)).isEmpty(), "the stored hash is not a token");
    }

    @Test
    void aRevokedTokenNoLongerAuthenticates() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        String first = accounts.openSession("ann", GOOD_PASSWORD.toCharArray());
        String second = accounts.openSession("ann", GOOD_PASSWORD.toCharArray());

        accounts.revoke(first);

        assertTrue(accounts.authenticate(first).isEmpty());
        assertEquals(ann, accounts.authenticate(second).orElseThrow().userId(), "only that one token");
        assertTrue(queryTimestampOrNull("SELECT revoked_at FROM ck_tokens WHERE token_hash = ?", Tokens.hash(first))
                != null);
        accounts.revoke(first); // again: nothing happens
        accounts.revoke("not a token");
    }

    @Test
    void anExpiredSessionNoLongerAuthenticates() throws Exception {
        accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        String token = accounts.openSession("ann", GOOD_PASSWORD.toCharArray());
        assertTrue(accounts.authenticate(token).isPresent());

        update(
                "UPDATE ck_tokens SET expires_at = ? WHERE token_hash = ?",
                Timestamp.from(Instant.now().minusSeconds(60)),
                Tokens.hash(token));

        assertTrue(accounts.authenticate(token).isEmpty());
    }

    @Test
    void theSessionLifetimeIsConfigurable() throws Exception {
        accounts = new AccountsService(
                db, registry, new Settings(2, 1000, 24, ITERATIONS, data.resolve("secret.key")), Clock.systemUTC());
        accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        String token = accounts.openSession("ann", GOOD_PASSWORD.toCharArray());

        Instant expires = queryTimestamp("SELECT expires_at FROM ck_tokens WHERE token_hash = ?", Tokens.hash(token));
        Duration left = Duration.between(Instant.now(), expires);
        assertTrue(
                left.compareTo(Duration.ofDays(2).minusMinutes(1)) > 0 && left.compareTo(Duration.ofDays(2)) <= 0,
                left.toString());
    }

    @Test
    void aLoginUpgradesAHashMadeWithFewerIterations() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        accounts = new AccountsService(db, registry, settings().withPasswordIterations(2_000), Clock.systemUTC());

        accounts.openSession("ann", GOOD_PASSWORD.toCharArray());

        String stored = queryString("SELECT password_hash FROM ck_users WHERE id = ?", ann);
        assertTrue(stored.startsWith("pbkdf2-sha256$2000$"), stored);
        assertTrue(accounts.openSession("ann", GOOD_PASSWORD.toCharArray()).length() > 0, "and still logs in");
    }

    // devices

    @Test
    void aRegisteredDeviceAuthenticatesWithItsToken() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        DeviceRegistration device = accounts.registerDevice(ann, " SN-0001 ", "Living room box");

        assertEquals(
                new Principal(ann, device.deviceId()),
                accounts.authenticate(device.deviceToken()).orElseThrow());
        assertTrue(accounts.authenticate(device.deviceToken()).orElseThrow().device());
        assertEquals("SN-0001", queryString("SELECT serial FROM ck_devices WHERE id = ?", device.deviceId()));
        assertNull(
                queryTimestampOrNull(
                        "SELECT expires_at FROM ck_tokens WHERE token_hash = ?", Tokens.hash(device.deviceToken())),
                "device tokens do not expire");
        assertEquals("DEVICE", queryString("SELECT kind FROM ck_tokens WHERE device_id = ?", device.deviceId()));

        accounts.revoke(device.deviceToken());
        assertTrue(accounts.authenticate(device.deviceToken()).isEmpty());
    }

    @Test
    void aSerialIsRegisteredOnlyOnce() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long bob = accounts.createUser("bob", GOOD_PASSWORD.toCharArray());
        accounts.registerDevice(ann, "SN-0001", "Box");

        AccountsException again =
                assertThrows(AccountsException.class, () -> accounts.registerDevice(ann, "SN-0001", "Box again"));
        assertEquals(Reason.CONFLICT, again.reason());
        assertTrue(again.getMessage().contains("SN-0001"), again.getMessage());
        assertReason(Reason.CONFLICT, () -> accounts.registerDevice(bob, "SN-0001", "Stolen box"));

        assertEquals(1, queryLong("SELECT COUNT(*) FROM ck_devices"));
        assertEquals(1, queryLong("SELECT COUNT(*) FROM ck_tokens"), "the failed ones left no token behind");
    }

    @Test
    void refusesBadSerialsAndNames() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "", "Box"));
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "S".repeat(129), "Box"));
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "SN\t1", "Box"));
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "SN-1", null));
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "SN-1", "N".repeat(129)));
        assertReason(Reason.INVALID, () -> accounts.registerDevice(ann, "SN-1", "Box\u0000"));
        assertReason(Reason.NOT_FOUND, () -> accounts.registerDevice(9_999, "SN-1", "Box"), "no such user");
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_devices"));
    }

    // provider accounts

    @Test
    void anAccountNeedsAnInstalledProvider() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        AccountsException e = assertThrows(
                AccountsException.class, () -> accounts.createAccount(ann, "dropbox", "My Dropbox", goodCredentials()));

        assertEquals(Reason.REJECTED, e.reason());
        assertEquals("provider 'dropbox' is not installed", e.getMessage());
        assertReason(Reason.INVALID, () -> accounts.createAccount(ann, "", "Label", goodCredentials()));
    }

    @Test
    void anAccountNeedsExactlyTheProvidersFields() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        AccountsException missing = assertThrows(
                AccountsException.class,
                () -> accounts.createAccount(ann, TestDrive.ID, "Drive", Map.of("user", "ann")));
        assertEquals(Reason.REJECTED, missing.reason());
        assertTrue(missing.getMessage().contains("'password'"), missing.getMessage());

        Map<String, String> extra = new HashMap<>(goodCredentials());
        extra.put("colour", "blue");
        AccountsException unknown =
                assertThrows(AccountsException.class, () -> accounts.createAccount(ann, TestDrive.ID, "Drive", extra));
        assertEquals(Reason.REJECTED, unknown.reason());
        assertTrue(unknown.getMessage().contains("'colour'"), unknown.getMessage());

        assertReason(Reason.REJECTED, () -> accounts.createAccount(ann, TestDrive.ID, "Drive", null));
        assertEquals(0, drive.connects, "the provider is not asked with incomplete credentials");
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_accounts"));
    }

    @Test
    void credentialsTheProviderRejectsAreNotStored() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        AccountsException e = assertThrows(
                AccountsException.class,
                () -> accounts.createAccount(ann, TestDrive.ID, "Drive", Map.of("user", "ann", "password", "guess")));

        assertEquals(Reason.REJECTED, e.reason());
        assertEquals("test drive: wrong password for ann", e.getMessage(), "the provider's own words");
        assertEquals(1, drive.connects);
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_accounts"));
    }

    @Test
    void anUnreachableProviderSaysToTryAgain() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        drive.down = true;

        AccountsException e = assertThrows(
                AccountsException.class, () -> accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials()));

        assertEquals(Reason.REJECTED, e.reason());
        assertTrue(e.getMessage().contains("connection refused by test drive"), e.getMessage());
        assertTrue(e.getMessage().contains("try again"), e.getMessage());
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_accounts"));
    }

    @Test
    void refusesBadLabels() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        assertReason(Reason.INVALID, () -> accounts.createAccount(ann, TestDrive.ID, " ", goodCredentials()));
        assertReason(
                Reason.INVALID, () -> accounts.createAccount(ann, TestDrive.ID, "L".repeat(129), goodCredentials()));
        assertReason(Reason.INVALID, () -> accounts.createAccount(ann, TestDrive.ID, "a\rb", goodCredentials()));
    }

    @Test
    void anOptionalFieldMayBeLeftOutButARequiredOneMayNot() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        long without = accounts.createAccount(ann, TestDrive.ID, "no domain", goodCredentials());
        Map<String, String> withDomain = new java.util.HashMap<>(goodCredentials());
        withDomain.put("domain", "example.org");
        long with = accounts.createAccount(ann, TestDrive.ID, "domain", withDomain);

        assertEquals(goodCredentials(), accounts.credentials(without).credentials());
        assertEquals(withDomain, accounts.credentials(with).credentials());
        AccountsException missing = assertThrows(
                AccountsException.class,
                () -> accounts.createAccount(ann, TestDrive.ID, "no user", Map.of("password", TestDrive.PASSWORD)));
        assertTrue(missing.getMessage().contains("'user'"), missing.getMessage());
        assertFalse(missing.getMessage().contains("domain"), missing.getMessage());
    }

    @Test
    void whatTheCheckLearnedIsStoredWithTheAccountButNothingUndeclared() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        drive.learned = Map.of("domain", "learned.example", "stray", "not a field");

        long account = accounts.createAccount(ann, TestDrive.ID, "drive", goodCredentials());

        Map<String, String> expected = new java.util.HashMap<>(goodCredentials());
        expected.put("domain", "learned.example");
        assertEquals(expected, accounts.credentials(account).credentials());
    }

    @Test
    void renewedCredentialsReplaceTheStoredOnesStillSealed() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "drive", goodCredentials());

        accounts.renewCredentials(account, Map.of("password", "rotated-token-77"));

        assertEquals(
                Map.of("user", "ann@example.org", "password", "rotated-token-77"),
                accounts.credentials(account).credentials());
        String sealed = queryString("SELECT sealed_credentials FROM ck_accounts WHERE id = ?", account);
        assertFalse(sealed.contains("rotated-token-77"), "sealed, not in the clear");
        assertReason(Reason.NOT_FOUND, () -> accounts.renewCredentials(account + 1000, Map.of("password", "x")));
    }

    @Test
    void storesCredentialsSealedAndGivesThemBack() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());

        long account = accounts.createAccount(ann, TestDrive.ID, " Work drive ", goodCredentials());

        assertEquals(1, drive.connects, "the provider checked them");
        String sealed = queryString("SELECT sealed_credentials FROM ck_accounts WHERE id = ?", account);
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains(TestDrive.PASSWORD));
        assertFalse(sealed.contains("ann@example.org"));
        assertFalse(sealed.contains("password"), "not even the field names are readable");
        assertEquals("Work drive", queryString("SELECT label FROM ck_accounts WHERE id = ?", account));
        assertEquals(TestDrive.ID, queryString("SELECT provider FROM ck_accounts WHERE id = ?", account));

        AccountCredentials credentials = accounts.credentials(account);
        assertEquals(TestDrive.ID, credentials.provider());
        assertEquals(goodCredentials(), credentials.credentials());
        assertFalse(credentials.toString().contains(TestDrive.PASSWORD));

        long second = accounts.createAccount(ann, TestDrive.ID, "Work drive", goodCredentials());
        assertNotEquals(
                sealed,
                queryString("SELECT sealed_credentials FROM ck_accounts WHERE id = ?", second),
                "every seal has its own IV");
    }

    @Test
    void alteredCredentialsFailClearlyInsteadOfGivingGarbage() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        String sealed = queryString("SELECT sealed_credentials FROM ck_accounts WHERE id = ?", account);
        int middle = sealed.length() / 2;
        String flipped =
                sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
        update("UPDATE ck_accounts SET sealed_credentials = ? WHERE id = ?", flipped, account);

        AccountsException e = assertThrows(AccountsException.class, () -> accounts.credentials(account));

        assertTrue(e.getMessage().contains("cannot be unsealed"), e.getMessage());
        assertTrue(e.getMessage().contains("account " + account), e.getMessage());
    }

    @Test
    void sealedCredentialsCannotBeMovedToAnotherUser() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long eve = accounts.createUser("eve", GOOD_PASSWORD.toCharArray());
        long annAccount = accounts.createAccount(ann, TestDrive.ID, "Ann's", goodCredentials());
        long eveAccount = accounts.createAccount(
                eve, TestDrive.ID, "Eve's", Map.of("user", "eve", "password", TestDrive.PASSWORD));
        String annSealed = queryString("SELECT sealed_credentials FROM ck_accounts WHERE id = ?", annAccount);

        update("UPDATE ck_accounts SET sealed_credentials = ? WHERE id = ?", annSealed, eveAccount);

        assertReason(Reason.REJECTED, () -> accounts.credentials(eveAccount));
        assertEquals(goodCredentials(), accounts.credentials(annAccount).credentials());
    }

    @Test
    void credentialsOfAnUnknownAccountAreNotFound() {
        assertReason(Reason.NOT_FOUND, () -> accounts.credentials(4_242));
    }

    // the key file

    @Test
    void theKeyFileIsCreatedOnceOwnerOnlyAndReused() throws Exception {
        Path keyFile = data.resolve("secret.key");
        assertTrue(Files.isRegularFile(keyFile));
        byte[] key = Files.readAllBytes(keyFile);
        assertEquals(32, key.length);
        if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        }
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());

        AccountsService restarted = newService();

        assertArrayEquals(key, Files.readAllBytes(keyFile), "the key file is never replaced");
        assertEquals(goodCredentials(), restarted.credentials(account).credentials());
        try (var files = Files.list(data)) {
            assertEquals(
                    List.of(),
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".tmp"))
                            .toList(),
                    "no temp file is left behind");
        }
    }

    @Test
    void anotherKeyFileCannotOpenTheCredentials() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        AccountsService otherKey = new AccountsService(
                db,
                registry,
                new Settings(30, 1000, 24, ITERATIONS, data.resolve("other/secret.key")),
                Clock.systemUTC());

        AccountsException e = assertThrows(AccountsException.class, () -> otherKey.credentials(account));

        assertTrue(e.getMessage().contains("key file"), e.getMessage());
    }

    @Test
    void aKeyFileOfTheWrongLengthStopsTheStart() throws Exception {
        Path keyFile = data.resolve("short/secret.key");
        Files.createDirectories(keyFile.getParent());
        Files.write(keyFile, new byte[16]);

        IOException e = assertThrows(
                IOException.class,
                () -> new AccountsService(
                        db, registry, new Settings(30, 1000, 24, ITERATIONS, keyFile), Clock.systemUTC()));

        assertTrue(e.getMessage().contains("16 bytes, not 32"), e.getMessage());
        assertArrayEquals(new byte[16], Files.readAllBytes(keyFile), "and it is left alone");
    }

    // containers

    @Test
    void createsAContainerWithTheDefaults() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();
        Instant before = Instant.now().minusMillis(1);

        long id = accounts.createContainer(
                ann, new NewContainer(account, device, List.of("/Photos", "/Documents", "/Photos"), null, null));

        Container c = accounts.container(ann, id).orElseThrow();
        assertEquals(id, c.id());
        assertEquals(ann, c.userId());
        assertEquals(account, c.accountId());
        assertEquals(TestDrive.ID, c.provider());
        assertEquals(device, c.deviceId());
        assertEquals(List.of("/Photos", "/Documents"), c.folders(), "duplicates dropped, order kept");
        assertEquals(1000, c.groupSize());
        assertEquals(24, c.traverseEveryHours());
        assertEquals(0, c.snapshot());
        assertEquals("WAITING", c.state());
        assertFalse(c.nextTraversalAt().isBefore(before), "due at once");
        assertFalse(c.nextTraversalAt().isAfter(Instant.now()), "due at once");
        assertNull(c.lastError());
        assertNull(c.lastTraversal());
        assertEquals("[\"/Photos\",\"/Documents\"]", queryString("SELECT folders FROM ck_containers WHERE id = ?", id));

        assertEquals(c, accounts.container(id).orElseThrow());
        assertEquals(List.of(c), accounts.containersOfDevice(device));
    }

    @Test
    void takesTheGroupSizeAndIntervalItIsGiven() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();

        long id = accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), 100_000, 8_760));
        long other = accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), 1, 1));

        assertEquals(100_000, accounts.container(ann, id).orElseThrow().groupSize());
        assertEquals(8_760, accounts.container(ann, id).orElseThrow().traverseEveryHours());
        assertEquals(1, accounts.container(ann, other).orElseThrow().groupSize());
        assertEquals(
                List.of(id, other),
                accounts.containersOfDevice(device).stream().map(Container::id).toList());
    }

    @Test
    void foldersInsideAnotherListedFolderAreDropped() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();

        long nested = accounts.createContainer(
                ann, new NewContainer(account, device, List.of("/a/b", "/a", "/ab", "/a/b/c"), null, null));
        long everything =
                accounts.createContainer(ann, new NewContainer(account, device, List.of("/x", "/"), null, null));

        assertEquals(
                List.of("/a", "/ab"),
                accounts.container(ann, nested).orElseThrow().folders());
        assertEquals(
                List.of("/"), accounts.container(ann, everything).orElseThrow().folders());
    }

    @Test
    void anotherUsersAccountOrDeviceIsNotFound() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long eve = accounts.createUser("eve", GOOD_PASSWORD.toCharArray());
        long annAccount = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long annDevice = accounts.registerDevice(ann, "SN-ANN", "Box").deviceId();
        long eveAccount =
                accounts.createAccount(eve, TestDrive.ID, "Eve", Map.of("user", "eve", "password", TestDrive.PASSWORD));
        long eveDevice = accounts.registerDevice(eve, "SN-EVE", "Eve's box").deviceId();

        AccountsException account = assertThrows(
                AccountsException.class,
                () -> accounts.createContainer(eve, new NewContainer(annAccount, eveDevice, List.of("/"), null, null)));
        assertEquals(Reason.NOT_FOUND, account.reason());
        assertTrue(account.getMessage().contains("account " + annAccount), account.getMessage());

        AccountsException device = assertThrows(
                AccountsException.class,
                () -> accounts.createContainer(eve, new NewContainer(eveAccount, annDevice, List.of("/"), null, null)));
        assertEquals(Reason.NOT_FOUND, device.reason());
        assertTrue(device.getMessage().contains("device " + annDevice), device.getMessage());

        AccountsException missing = assertThrows(
                AccountsException.class,
                () -> accounts.createContainer(eve, new NewContainer(eveAccount, 9_999, List.of("/"), null, null)));
        assertEquals(Reason.NOT_FOUND, missing.reason());
        assertEquals(
                device.getMessage().replace(String.valueOf(annDevice), "9999"),
                missing.getMessage(),
                "another user's device reads exactly like one that does not exist");

        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_containers"));
    }

    @Test
    void anotherUsersContainerCannotBeRead() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long eve = accounts.createUser("eve", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();
        long id = accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), null, null));

        assertTrue(accounts.container(ann, id).isPresent());
        assertTrue(accounts.container(eve, id).isEmpty());
        assertTrue(accounts.container(ann, id + 1).isEmpty());
        assertTrue(accounts.container(id + 1).isEmpty());
        assertEquals(List.of(), accounts.containersOfDevice(device + 1));
    }

    @Test
    void refusesBadFoldersNamingThem() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();

        for (String bad : List.of("/Photos/../..", "Photos", "", "/a//b", "/a/")) {
            AccountsException e = assertThrows(
                    AccountsException.class,
                    () -> accounts.createContainer(
                            ann, new NewContainer(account, device, List.of("/ok", bad), null, null)),
                    bad);
            assertEquals(Reason.INVALID, e.reason(), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, List.of(), null, null)));
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, null, null, null)));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("/f" + i);
        }
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, many, null, null)));
        assertTrue(
                accounts.createContainer(ann, new NewContainer(account, device, many.subList(0, 100), null, null)) > 0,
                "100 folders are allowed");
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(
                        ann, new NewContainer(account, device, List.of("/" + "x".repeat(16_000)), null, null)));
    }

    @Test
    void refusesGroupSizesAndIntervalsOutOfRange() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();

        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), 0, null)));
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), 100_001, null)));
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), null, 0)));
        assertReason(
                Reason.INVALID,
                () -> accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), null, 8_761)));
        assertEquals(0, queryLong("SELECT COUNT(*) FROM ck_containers"));
    }

    @Test
    void theLastTraversalIsReadFromTheContainer() throws Exception {
        long ann = accounts.createUser("ann", GOOD_PASSWORD.toCharArray());
        long account = accounts.createAccount(ann, TestDrive.ID, "Drive", goodCredentials());
        long device = accounts.registerDevice(ann, "SN-1", "Box").deviceId();
        long id = accounts.createContainer(ann, new NewContainer(account, device, List.of("/"), null, null));
        Instant finished = Instant.parse("2026-03-01T10:15:30Z");

        update(
                "UPDATE ck_containers SET state = 'READY', snapshot = 3, last_finished_at = ?, last_added = 5, "
                        + "last_changed = 2, last_removed = 1, last_unchanged = 40, last_error = 'slow' WHERE id = ?",
                Timestamp.from(finished),
                id);

        Container c = accounts.container(ann, id).orElseThrow();
        assertEquals("READY", c.state());
        assertEquals(3, c.snapshot());
        assertEquals("slow", c.lastError());
        assertEquals(new Container.TraversalSummary(finished, 5, 2, 1, 40), c.lastTraversal());
    }

    // helpers

    private static Map<String, String> goodCredentials() {
        return Map.of("user", "ann@example.org", "password", TestDrive.PASSWORD);
    }

    private static void assertReason(Reason expected, Executable call) {
        assertReason(expected, call, null);
    }

    private static void assertReason(Reason expected, Executable call, String why) {
        AccountsException e = assertThrows(AccountsException.class, call, why);
        assertEquals(expected, e.reason(), () -> (why == null ? "" : why + ": ") + e.getMessage());
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement s = prepare(c, sql, args)) {
            assertEquals(1, s.executeUpdate(), sql);
        }
    }

    private long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement s = prepare(c, sql, args);
                ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private String queryString(String sql, Object... args) throws SQLException {
        List<String> values = queryStrings(sql, args);
        assertEquals(1, values.size(), sql);
        return values.get(0);
    }

    private List<String> queryStrings(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement s = prepare(c, sql, args);
                ResultSet rs = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private Instant queryTimestamp(String sql, Object... args) throws SQLException {
        Instant value = queryTimestampOrNull(sql, args);
        assertTrue(value != null, sql);
        return value;
    }

    private Instant queryTimestampOrNull(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement s = prepare(c, sql, args);
                ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), sql);
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }
}
