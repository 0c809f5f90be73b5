package org.cloudkeep.itests.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH server run as its own process ({@code sshd -D -e -f <config>}) on 127.0.0.1 and a
 * free port, with everything it needs in one work folder: a fresh ed25519 host key, a client key
 * pair for the user running the tests, the authorized keys file, the pid file and the log. Only
 * public-key authentication is accepted; SFTP is the in-process {@code internal-sftp}, which serves
 * the real file system (clients see absolute paths).
 *
 * <p>When the tests run as root, sshd needs its privilege separation folder {@code /run/sshd}
 * (Debian's service unit makes it); it is created if missing. Root may log in with a key only
 * ({@code PermitRootLogin prohibit-password}).
 */
public final class OpenSshServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(30);

    private final LoopbackProcess process;
    private final Path workDir;
    private final String user;
    private final KeyFiles clientKey;
    private final String hostKeyLine;

    private OpenSshServer(LoopbackProcess process, Path workDir, String user, KeyFiles clientKey, String hostKeyLine) {
        this.process = process;
        this.workDir = workDir;
        this.user = user;
        this.clientKey = clientKey;
        this.hostKeyLine = hostKeyLine;
    }

    /** A private key file and its public key line, as ssh-keygen wrote them. */
    public record KeyFiles(Path privateKeyFile, String privateKey, String publicKeyLine) {}

    /**
     * Starts sshd for the user running the tests; returns once it accepts connections.
     *
     * @param workDir an empty folder for the keys, the configuration, the pid file and the log
     */
    public static OpenSshServer start(Path workDir) throws IOException {
        Path sshd = LoopbackProcess.program("sshd", "openssh-server");
        Path dir = Files.createDirectories(workDir).toAbsolutePath();
        String user = System.getProperty("user.name");
        boolean root = "root".equals(user);
        if (root) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        KeyFiles hostKey = keygen(dir.resolve("ssh_host_ed25519_key"), "ed25519", "", false);
        KeyFiles clientKey = keygen(dir.resolve("client_ed25519"), "ed25519", "", false);
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, clientKey.publicKeyLine() + "\n", StandardCharsets.UTF_8);

        int port = LoopbackProcess.freePort();
        List<String> config = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey.privateKeyFile(),
                "AuthorizedKeysFile " + authorizedKeys,
                "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AllowUsers " + user,
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE"));
        if (root) {
            config.add("PermitRootLogin prohibit-password");
        }
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config, StandardCharsets.UTF_8);

        LoopbackProcess process = LoopbackProcess.start(
                "sshd",
                List.of(sshd.toString(), "-D", "-e", "-f", configFile.toString()),
                dir,
                dir.resolve("sshd.log"),
                port,
                START_TIMEOUT);
        return new OpenSshServer(process, dir, user, clientKey, hostKey.publicKeyLine());
    }

    /**
     * Makes a key pair with ssh-keygen.
     *
     * @param type {@code ed25519}, {@code rsa}, {@code ecdsa}
     * @param passphrase empty for none
     * @param pem whether to write the old PEM format ({@code -m PEM}) rather than OpenSSH's own
     */
    public static KeyFiles keygen(Path file, String type, String passphrase, boolean pem) throws IOException {
        Path keygen = LoopbackProcess.program("ssh-keygen", "openssh-client");
        List<String> command = new ArrayList<>(List.of(
                keygen.toString(), "-q", "-t", type, "-N", passphrase, "-C", "cloudkeep-test", "-f", file.toString()));
        if (pem) {
            command.addAll(List.of("-m", "PEM"));
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".pub"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            if (!process.waitFor(KEYGEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("ssh-keygen did not finish within " + KEYGEN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while ssh-keygen ran", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("ssh-keygen " + String.join(" ", command) + " failed: " + output);
        }
        return new KeyFiles(
                file,
                Files.readString(file, StandardCharsets.UTF_8),
                Files.readString(Path.of(file + ".pub"), StandardCharsets.UTF_8).trim());
    }

    /**
     * The SHA-256 fingerprint of an OpenSSH public key line, as {@code ssh-keygen -l} prints it:
     * {@code SHA256:} and unpadded base64 of the key blob's digest.
     */
    public static String fingerprint(String publicKeyLine) {
        String[] fields = publicKeyLine.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line: " + publicKeyLine);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(fields[1]));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lets one more public key (an OpenSSH public key line) log in as {@link #user()}. */
    public void authorize(String publicKeyLine) throws IOException {
        Files.writeString(
                workDir.resolve("authorized_keys"),
                publicKeyLine.trim() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return process.port();
    }

    /** The user that may log in: the one running the tests. */
    public String user() {
        return user;
    }

    /** The client private key (OpenSSH format, no passphrase) authorized for {@link #user()}. */
    public String clientPrivateKey() {
        return clientKey.privateKey();
    }

    public String clientPublicKeyLine() {
        return clientKey.publicKeyLine();
    }

    /** The host key as an OpenSSH public key line: {@code ssh-ed25519 AAAA... cloudkeep-test}. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    public String hostKeyFingerprint() {
        return fingerprint(hostKeyLine);
    }

    /** sshd's log, for a failing test's message. */
    public String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "OpenSSH " + process;
    }
}
