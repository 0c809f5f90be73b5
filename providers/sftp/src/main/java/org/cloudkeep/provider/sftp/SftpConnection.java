package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ProviderException;

/**
 * One SSH connection to an account's server and its main SFTP channel. A {@link JSch} per
 * connection, so that one account's key never meets another's and no static JSch state is touched.
 */
final class SftpConnection implements AutoCloseable {

    private final Session ssh;
    private final ChannelSftp sftp;
    private final SftpCredentials account;
    private final HostKeyPin pin;
    private final SftpSettings settings;

    private SftpConnection(
            Session ssh, ChannelSftp sftp, SftpCredentials account, HostKeyPin pin, SftpSettings settings) {
        this.ssh = ssh;
        this.sftp = sftp;
        this.account = account;
        this.pin = pin;
        this.settings = settings;
    }

    /**
     * Connects, logs in and opens the SFTP channel, within the connect time-out.
     *
     * @throws BadCredentialsException when the key cannot be read, the login or the host key is refused
     * @throws ProviderException for every other failure, typed by {@link Failures#ofConnect}
     */
    static SftpConnection open(SftpCredentials account, HostKeyPin pin, SftpSettings settings)
            throws ProviderException {
        JSch jsch = new JSch();
        StringJoiner methods = new StringJoiner(",");
        if (account.privateKey() != null) {
            addKey(jsch, account);
            methods.add("publickey");
        }
        if (account.password() != null) {
            methods.add("password");
        }
        Session ssh = null;
        try {
            ssh = jsch.getSession(account.username(), account.host(), account.port());
            if (account.password() != null) {
                ssh.setPassword(account.password().getBytes(StandardCharsets.UTF_8));
            }
            ssh.setHostKeyRepository(pin);
            ssh.setConfig("StrictHostKeyChecking", "yes");
            // Only what the account has: no keyboard-interactive or GSS-API prompts nobody can answer.
            ssh.setConfig("PreferredAuthentications", methods.toString());
            if (pin.hostKeyAlgorithms() != null) {
                ssh.setConfig("server_host_key", pin.hostKeyAlgorithms());
            }
            ssh.setDaemonThread(true);
            ssh.setServerAliveInterval(settings.keepAliveMillis());
            ssh.setServerAliveCountMax(SftpSettings.KEEP_ALIVE_COUNT_MAX);
            ssh.connect(settings.connectTimeoutMillis());
            ChannelSftp sftp = (ChannelSftp) ssh.openChannel("sftp");
            sftp.connect(settings.connectTimeoutMillis());
            return new SftpConnection(ssh, sftp, account, pin, settings);
        } catch (JSchException e) {
            if (ssh != null) {
                ssh.disconnect();
            }
            throw Failures.ofConnect(e, account, pin);
        }
    }

    /** The main channel: listings and stats go through it, one at a time. */
    ChannelSftp sftp() {
        return sftp;
    }

    /** A channel of its own for one download, so that listing can go on while a file is read. */
    ChannelSftp openChannel() throws ProviderException {
        try {
            ChannelSftp channel = (ChannelSftp) ssh.openChannel("sftp");
            channel.connect(settings.connectTimeoutMillis());
            return channel;
        } catch (JSchException e) {
            throw Failures.ofConnect(e, account, pin);
        }
    }

    /** Whether the connection and its main channel are still up. */
    boolean alive() {
        return ssh.isConnected() && sftp.isConnected();
    }

    /** Drops the connection; any call blocked on it fails. Safe from any thread, and more than once. */
    @Override
    public void close() {
        sftp.disconnect();
        ssh.disconnect();
    }

    private static void addKey(JSch jsch, SftpCredentials account) throws BadCredentialsException {
        // JSch wants the key text to end with a line break; pasted keys often lose it.
        byte[] key = (account.privateKey().strip() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] passphrase =
                account.passphrase() == null ? null : account.passphrase().getBytes(StandardCharsets.UTF_8);
        try {
            jsch.addIdentity("cloudkeep:" + account.username(), key, null, passphrase);
        } catch (JSchException e) {
            throw new BadCredentialsException(
                    "The private key cannot be read: " + e.getMessage() + ". Paste the whole key, from its"
                            + " -----BEGIN line to its -----END line (OpenSSH or PEM format).",
                    e);
        }
        for (Identity identity : jsch.getIdentityRepository().getIdentities()) {
            if (identity.isEncrypted()) {
                throw new BadCredentialsException(
                        account.passphrase() == null
                                ? "The private key is protected by a passphrase: enter it."
                                : "The passphrase does not open the private key.");
            }
        }
    }
}
