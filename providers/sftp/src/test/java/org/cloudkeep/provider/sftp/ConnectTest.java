package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.itests.servers.LoopbackProcess;
import org.cloudkeep.itests.servers.MinaSftpServer;
import org.cloudkeep.itests.servers.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Logging in: passwords, keys with and without passphrases, host keys, the root folder, unreachable servers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectTest {

    private static final String PASSPHRASE = "correct horse";

    @TempDir
    static Path work;

    private Path served;
    private MinaSftpServer server;
    private SftpProvider provider;
    private OpenSshServer.KeyFiles rsaPem;
    private OpenSshServer.KeyFiles ecdsa;
    private OpenSshServer.KeyFiles stranger;

    @BeforeAll
    void start() throws IOException {
        served = Files.createDirectories(work.resolve("served"));
        Files.createDirectories(served.resolve("home/docs"));
        Files.writeString(served.resolve("home/file.txt"), "a file");
        rsaPem = OpenSshServer.keygen(work.resolve("rsa_pem"), "rsa", PASSPHRASE, true);
        ecdsa = OpenSshServer.keygen(work.resolve("ecdsa"), "ecdsa", PASSPHRASE, false);
        stranger = OpenSshServer.keygen(work.resolve("stranger"), "ecdsa", "", false);
        server = MinaSftpServer.serving(served)
                .password(Accounts.PASSWORD)
                .authorizedKey(rsaPem.publicKeyLine())
                .authorizedKey(ecdsa.publicKeyLine())
                .start();
        provider = new SftpProvider(Accounts.impatient());
    }

    @AfterAll
    void stop() throws IOException {
        provider.close();
        server.close();
    }

    @Test
    void aWrongPasswordIsBadCredentials() {
        BadCredentialsException refused = assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(Accounts.with(account(), SftpCredentials.PASSWORD, "wrong")));
        assertTrue(refused.getMessage().contains(server.user()), refused.getMessage());
    }

    @Test
    void aKeyTheServerDoesNotKnowIsBadCredentials() {
        assertThrows(BadCredentialsException.class, () -> provider.connect(keyAccount(stranger, null)));
    }

    @Test
    void keysWithTheirPassphraseLogIn() throws Exception {
        for (OpenSshServer.KeyFiles key : List.of(rsaPem, ecdsa)) {
            try (ProviderSession session = provider.connect(keyAccount(key, PASSPHRASE))) {
                assertTrue(session.stat("/home").directory(), "logged in with " + key.privateKeyFile());
            }
        }
    }

    @Test
    void aMissingOrWrongPassphraseSaysSo() {
        BadCredentialsException missing =
                assertThrows(BadCredentialsException.class, () -> provider.connect(keyAccount(ecdsa, null)));
        assertTrue(missing.getMessage().contains("passphrase"), missing.getMessage());
        BadCredentialsException wrong =
                assertThrows(BadCredentialsException.class, () -> provider.connect(keyAccount(rsaPem, "wrong")));
        assertTrue(wrong.getMessage().contains("passphrase"), wrong.getMessage());
    }

    @Test
    void aKeyThatIsNoKeyIsBadCredentials() {
        assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(
                        Accounts.with(account(), SftpCredentials.PRIVATE_KEY, "ssh-rsa AAAA not a key")));
    }

    @Test
    void anotherHostKeyIsRefusedAndNamed() {
        BadCredentialsException refused = assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(Accounts.with(account(), SftpCredentials.HOST_KEY, stranger.publicKeyLine())));
        assertTrue(refused.getMessage().contains(server.hostKeyFingerprint()), refused.getMessage());
        BadCredentialsException byFingerprint = assertThrows(
                BadCredentialsException.class,
                () -> provider.connect(Accounts.with(
                        account(), SftpCredentials.HOST_KEY, OpenSshServer.fingerprint(stranger.publicKeyLine()))));
        assertTrue(byFingerprint.getMessage().contains(server.hostKeyFingerprint()), byFingerprint.getMessage());
    }

    @Test
    void theHostKeyMayBeAFingerprintOrAKnownHostsLine() throws Exception {
        String knownHosts = "[" + server.host() + "]:" + server.port() + " " + server.hostKeyLine();
        for (String pin : List.of(server.hostKeyFingerprint(), knownHosts, server.hostKeyLine() + " a comment")) {
            try (ProviderSession session = provider.connect(Accounts.with(account(), SftpCredentials.HOST_KEY, pin))) {
                assertTrue(session.stat("/").directory(), "pinned as " + pin);
            }
        }
    }

    @Test
    void withoutAHostKeyTheOneSeenIsPinnedInTheRenewedCredentials() throws Exception {
        Map<String, String> renewed;
        try (ProviderSession session = provider.connect(Accounts.with(account(), SftpCredentials.HOST_KEY, null))) {
            renewed = session.renewedCredentials();
        }
        assertEquals(server.hostKeyFingerprint(), OpenSshServer.fingerprint(renewed.get(SftpCredentials.HOST_KEY)));
        assertEquals(Accounts.PASSWORD, renewed.get(SftpCredentials.PASSWORD), "the other credentials are kept");
        try (ProviderSession session = provider.connect(renewed)) {
            assertTrue(session.stat("/").directory());
            assertEquals(Map.of(), session.renewedCredentials());
        }
    }

    @Test
    void theRootMayBeAbsoluteOrRelativeToTheLoginFolder() throws Exception {
        for (String root : List.of("/home", "home", "/home/")) {
            try (ProviderSession session = provider.connect(Accounts.with(account(), SftpCredentials.ROOT, root))) {
                assertEquals(
                        List.of("/docs", "/file.txt"),
                        session.list("/", null).entries().stream()
                                .map(Entry::path)
                                .toList(),
                        "root " + root);
            }
        }
    }

    @Test
    void aRootThatIsMissingOrAFileIsBadCredentials() {
        for (String root : List.of("/nowhere", "/home/file.txt")) {
            BadCredentialsException refused = assertThrows(
                    BadCredentialsException.class,
                    () -> provider.connect(Accounts.with(account(), SftpCredentials.ROOT, root)),
                    "root " + root);
            assertTrue(refused.getMessage().contains(root), refused.getMessage());
        }
    }

    @Test
    void missingOrMalformedFieldsAreBadCredentials() {
        List<Map<String, String>> wrong = new ArrayList<>();
        wrong.add(Accounts.with(account(), SftpCredentials.HOST, null));
        wrong.add(Accounts.with(account(), SftpCredentials.HOST, " "));
        wrong.add(Accounts.with(account(), SftpCredentials.USERNAME, null));
        wrong.add(Accounts.with(account(), SftpCredentials.PASSWORD, null));
        wrong.add(Accounts.with(account(), SftpCredentials.PORT, "0"));
        wrong.add(Accounts.with(account(), SftpCredentials.PORT, "twenty-two"));
        wrong.add(Accounts.with(account(), SftpCredentials.HOST_KEY, "SHA256:tooShort"));
        wrong.add(Accounts.with(account(), SftpCredentials.HOST_KEY, "not a key at all"));
        for (Map<String, String> credentials : wrong) {
            assertThrows(BadCredentialsException.class, () -> provider.connect(credentials), credentials::toString);
        }
        assertThrows(BadCredentialsException.class, () -> provider.connect(null));
    }

    @Test
    void aPortNobodyListensOnIsTransient() {
        int closed = LoopbackProcess.freePort();
        ProviderException failure = assertThrows(
                ProviderException.class,
                () -> provider.connect(Accounts.with(account(), SftpCredentials.PORT, Integer.toString(closed))));
        assertTrue(failure instanceof TransientProviderException, failure.toString());
    }

    @Test
    @Timeout(60)
    void aServerThatNeverSpeaksTimesOutAsTransient() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept()); // held open, never answered
                } catch (IOException e) {
                    // the socket closed at the end of the test
                }
            });
            acceptor.start();
            try {
                ProviderException failure = assertThrows(
                        ProviderException.class,
                        () -> provider.connect(Accounts.with(
                                account(), SftpCredentials.PORT, Integer.toString(silent.getLocalPort()))));
                assertTrue(failure instanceof TransientProviderException, failure.toString());
            } finally {
                silent.close();
                acceptor.join(10_000);
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    private Map<String, String> account() {
        return Accounts.mina(server);
    }

    private Map<String, String> keyAccount(OpenSshServer.KeyFiles key, String passphrase) {
        Map<String, String> credentials = Accounts.with(account(), SftpCredentials.PASSWORD, null);
        credentials = Accounts.with(credentials, SftpCredentials.PRIVATE_KEY, key.privateKey());
        return Accounts.with(credentials, SftpCredentials.PASSPHRASE, passphrase);
    }
}
