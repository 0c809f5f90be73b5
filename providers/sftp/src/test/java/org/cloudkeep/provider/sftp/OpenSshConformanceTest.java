package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.itests.servers.OpenSshServer;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.FolderFixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite against Debian's OpenSSH sshd, logging in with an ed25519 key, the host key
 * pinned by its fingerprint, the account's root an absolute folder; plus what only a real sshd shows.
 */
class OpenSshConformanceTest extends ProviderConformanceTest {

    @TempDir
    static Path work;

    private Path served;
    private OpenSshServer server;
    private SftpProvider provider;
    private OpenSshServer.KeyFiles strangerKey;

    @BeforeAll
    void start() throws IOException {
        served = Files.createDirectories(work.resolve("served"));
        server = OpenSshServer.start(work.resolve("sshd"));
        strangerKey = OpenSshServer.keygen(work.resolve("stranger_ed25519"), "ed25519", "", false);
        provider = new SftpProvider(SftpSettings.defaults());
    }

    @AfterAll
    void stop() {
        provider.close();
        server.close();
    }

    @Override
    protected CloudDriveProvider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> credentials() {
        return Map.of(
                SftpCredentials.HOST, server.host(),
                SftpCredentials.PORT, Integer.toString(server.port()),
                SftpCredentials.USERNAME, server.user(),
                SftpCredentials.PRIVATE_KEY, server.clientPrivateKey(),
                SftpCredentials.HOST_KEY, server.hostKeyFingerprint(),
                SftpCredentials.ROOT, served.toString());
    }

    /** A key sshd was never told about. */
    @Override
    protected Map<String, String> wrongCredentials() {
        return with(SftpCredentials.PRIVATE_KEY, strangerKey.privateKey());
    }

    @Override
    protected FixtureWriter fixture() {
        return new FolderFixtureWriter(served);
    }

    @Test
    void anotherHostKeyIsRefusedBeforeLoggingIn() {
        BadCredentialsException refused = assertThrows(BadCredentialsException.class, () -> provider.connect(
                        with(SftpCredentials.HOST_KEY, strangerKey.publicKeyLine()))
                .close());
        assertTrue(
                refused.getMessage().contains(server.hostKeyFingerprint()),
                "the message names the key the server showed: " + refused.getMessage());
        assertTrue(
                refused.getMessage().contains(OpenSshServer.fingerprint(strangerKey.publicKeyLine())),
                "the message names the pinned key: " + refused.getMessage());
    }

    @Test
    void theHostKeyLineIsAcceptedAsWellAsItsFingerprint() throws Exception {
        try (ProviderSession session = provider.connect(with(SftpCredentials.HOST_KEY, server.hostKeyLine()))) {
            assertTrue(session.stat("/").directory());
            assertEquals(Map.of(), session.renewedCredentials(), "a pinned key needs no renewal");
        }
    }

    @Test
    void symbolicLinksAreLeftOutOfListings() throws Exception {
        Path folder = Files.createDirectories(served.resolve("links"));
        Files.writeString(folder.resolve("real.txt"), "real");
        Files.createSymbolicLink(folder.resolve("to-real.txt"), folder.resolve("real.txt"));
        Files.createSymbolicLink(folder.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(folder.resolve("loop"), folder);
        try (ProviderSession session = provider.connect(credentials())) {
            List<String> names = session.list("/links", null).entries().stream()
                    .map(Entry::name)
                    .toList();
            assertEquals(List.of("real.txt"), names);
        }
    }

    @Test
    void theLoginFolderIsTheDefaultRoot() throws Exception {
        try (ProviderSession session = provider.connect(with(SftpCredentials.ROOT, null))) {
            assertTrue(session.stat("/").directory());
        }
    }

    private Map<String, String> with(String key, String value) {
        return Accounts.with(credentials(), key, value);
    }
}
