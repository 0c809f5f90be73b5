package org.cloudkeep.itests.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server inside the test's JVM (Apache MINA SSHD), on 127.0.0.1 and a free port, serving a
 * local folder as its root ({@code /}). One user, with a password, public keys, or both. The host
 * key is an ECDSA P-256 key made in memory at start, so every server has its own.
 *
 * <p>{@link Builder#fileSystemAccessor} lets a test change what the server reports (names,
 * attributes) or make it stall, to see how a client copes with a hostile or hung server.
 */
public final class MinaSftpServer implements AutoCloseable {

    private final SshServer server;
    private final Path root;
    private final String user;
    private final PublicKey hostKey;
    private final int port;

    private MinaSftpServer(SshServer server, Path root, String user, PublicKey hostKey, int port) {
        this.server = server;
        this.root = root;
        this.user = user;
        this.hostKey = hostKey;
        this.port = port;
    }

    /** A server that will serve this folder as its root; the folder must exist. */
    public static Builder serving(Path root) {
        return new Builder(root);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The folder served as {@code /}. */
    public Path root() {
        return root;
    }

    /** The host key as an OpenSSH public key line: {@code ecdsa-sha2-nistp256 AAAA...}. */
    public String hostKeyLine() {
        return PublicKeyEntry.toString(hostKey);
    }

    /** The host key's fingerprint as OpenSSH prints it: {@code SHA256:} and unpadded base64. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    @Override
    public String toString() {
        return "MINA SSHD on 127.0.0.1:" + port + " serving " + root;
    }

    /** What the server accepts and how it serves files. */
    public static final class Builder {

        private final Path root;
        private String user = "cloudkeep";
        private String password;
        private final List<PublicKey> authorizedKeys = new ArrayList<>();
        private SftpFileSystemAccessor accessor = SftpFileSystemAccessor.DEFAULT;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
        }

        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Accepts password authentication with this password; without one, passwords are refused. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Accepts public-key authentication with this key, an OpenSSH public key line. */
        public Builder authorizedKey(String publicKeyLine) throws IOException {
            try {
                authorizedKeys.add(PublicKeyEntry.parsePublicKeyEntry(publicKeyLine.trim())
                        .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("not an OpenSSH public key line: " + publicKeyLine, e);
            }
            return this;
        }

        /** Replaces how the SFTP subsystem reaches the files (names, attributes, directory streams). */
        public Builder fileSystemAccessor(SftpFileSystemAccessor accessor) {
            this.accessor = Objects.requireNonNull(accessor, "accessor");
            return this;
        }

        public MinaSftpServer start() throws IOException {
            if (!Files.isDirectory(root)) {
                throw new IOException("the folder to serve does not exist: " + root);
            }
            KeyPair hostKeys = newHostKeys();
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
            String expectedUser = user;
            String expectedPassword = password;
            server.setPasswordAuthenticator(
                    expectedPassword == null
                            ? null
                            : (u, p, s) -> expectedUser.equals(u)
                                    && p != null
                                    && MessageDigest.isEqual(
                                            p.getBytes(StandardCharsets.UTF_8),
                                            expectedPassword.getBytes(StandardCharsets.UTF_8)));
            List<PublicKey> keys = List.copyOf(authorizedKeys);
            server.setPublickeyAuthenticator(
                    keys.isEmpty()
                            ? null
                            : (u, key, s) -> expectedUser.equals(u)
                                    && keys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            // Passwords only through the "password" method, so that a wrong one is simply refused.
            server.setKeyboardInteractiveAuthenticator(null);
            server.setFileSystemFactory(new VirtualFileSystemFactory(root));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder()
                    .withFileSystemAccessor(accessor)
                    .build()));
            server.start();
            int port = boundPort(server);
            return new MinaSftpServer(server, root, user, hostKeys.getPublic(), port);
        }

        private static KeyPair newHostKeys() throws IOException {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot make an ECDSA host key", e);
            }
        }

        private static int boundPort(SshServer server) throws IOException {
            for (SocketAddress address : server.getBoundAddresses()) {
                if (address instanceof InetSocketAddress inet) {
                    return inet.getPort();
                }
            }
            server.stop(true);
            throw new IOException("MINA SSHD started but is bound to no TCP port");
        }
    }
}
