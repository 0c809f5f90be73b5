package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A session on one SFTP account. Listings and stats go through one SFTP channel; each download gets
 * a channel of its own. When the connection drops, the next call connects again (a page token is a
 * name, so a listing goes on where it was). Not thread-safe, as the api allows.
 */
final class SftpSession implements ProviderSession {

    private static final System.Logger LOG = System.getLogger(SftpSession.class.getName());

    private final SftpCredentials account;
    private final SftpSettings settings;
    private final Watchdog watchdog;
    /** The host key reconnects must see: the account's, or the one the first connection learnt. */
    private final HostKeyPin pin;
    /** The host key line learnt when the account pinned none; {@code null} when it did. */
    private final String learntKeyLine;

    private final String root;
    private SftpConnection connection;

    private SftpSession(
            SftpCredentials account,
            SftpSettings settings,
            Watchdog watchdog,
            HostKeyPin pin,
            String learntKeyLine,
            SftpConnection connection,
            String root) {
        this.account = account;
        this.settings = settings;
        this.watchdog = watchdog;
        this.pin = pin;
        this.learntKeyLine = learntKeyLine;
        this.connection = connection;
        this.root = root;
    }

    /**
     * Connects and finds the account's root folder.
     *
     * @throws BadCredentialsException also when the root folder is missing, not a folder or not readable
     */
    static SftpSession open(SftpCredentials account, SftpSettings settings, Watchdog watchdog)
            throws ProviderException {
        HostKeyPin pin = account.hostKey();
        SftpConnection connection = SftpConnection.open(account, pin, settings);
        try {
            String root = root(account, connection, watchdog);
            if (pin.pinned()) {
                return new SftpSession(account, settings, watchdog, pin, null, connection, root);
            }
            LOG.log(
                    Level.WARNING,
                    "SFTP account {0}: accepted the host key {1} of {2} unchecked, as no host key was given;"
                            + " it is pinned in the credentials renewed by this session",
                    account.username(),
                    pin.seenFingerprint(),
                    account.target());
            // Trust on first use, but only once: a reconnect must meet the same key.
            HostKeyPin learnt = HostKeyPin.parse(pin.seenFingerprint());
            return new SftpSession(account, settings, watchdog, learnt, pin.seenKeyLine(), connection, root);
        } catch (ProviderException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        String path = checked(folder);
        if (pageToken != null && !EntryPaths.isValidName(pageToken)) {
            throw new PermanentProviderException(
                    "invalid page token " + Failures.quote(pageToken) + ": pass the token of the page before, or null");
        }
        String remote = RemotePath.of(root, path);
        return call("listing", path, (sftp, guard) -> {
            SftpATTRS attrs = sftp.stat(remote);
            if (Attributes.kind(attrs, path) != Attributes.Kind.FOLDER) {
                throw new PermanentProviderException(
                        Failures.quote(path) + " is not a folder; only folders can be listed");
            }
            PageCollector page = new PageCollector(path, pageToken, settings.pageSize(), guard::touch);
            sftp.ls(remote, page);
            return page.page();
        });
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        String checked = checked(path);
        String remote = RemotePath.of(root, checked);
        // stat, not lstat: a path named explicitly is resolved by the server, links included.
        return call("reading", checked, (sftp, guard) -> Attributes.entry(checked, sftp.stat(remote)));
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        String checked = checked(path);
        if (offset < 0) {
            throw new PermanentProviderException(
                    "cannot open " + Failures.quote(checked) + " at negative offset " + offset);
        }
        String remote = RemotePath.of(root, checked);
        ChannelSftp channel = connection().openChannel();
        Watchdog.Guard guard = watchdog.arm(channel::disconnect);
        try {
            Entry entry = Attributes.entry(checked, channel.stat(remote));
            if (entry.directory()) {
                throw new PermanentProviderException(
                        Failures.quote(checked) + " is a folder; only files can be opened");
            }
            if (offset > entry.size()) {
                throw new PermanentProviderException("cannot open " + Failures.quote(checked) + " at offset " + offset
                        + ": it has only " + entry.size() + " bytes");
            }
            InputStream in = channel.get(remote, null, offset);
            return new SftpDownload(in, channel, watchdog, checked);
        } catch (SftpException e) {
            channel.disconnect();
            throw Failures.of(e, "opening", checked, guard.fired(), connection != null && connection.alive());
        } catch (ProviderException e) {
            channel.disconnect();
            throw e;
        } catch (RuntimeException e) {
            channel.disconnect();
            throw malformed("opening", checked, e);
        } finally {
            guard.close();
        }
    }

    /** The credentials with the host key seen pinned, when none was given; empty otherwise. */
    @Override
    public Map<String, String> renewedCredentials() {
        return learntKeyLine == null ? Map.of() : account.withHostKey(learntKeyLine);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** One request on the main channel. */
    @FunctionalInterface
    private interface Request<T> {
        T run(ChannelSftp sftp, Watchdog.Guard guard) throws SftpException, ProviderException;
    }

    /** Runs a request, connecting again first if the connection dropped, and types its failure. */
    private <T> T call(String what, String path, Request<T> request) throws ProviderException {
        SftpConnection current = connection();
        try (Watchdog.Guard guard = watchdog.arm(current::close)) {
            try {
                return request.run(current.sftp(), guard);
            } catch (SftpException e) {
                throw Failures.of(e, what, path, guard.fired(), current.alive());
            }
        } catch (RuntimeException e) {
            throw malformed(what, path, e);
        }
    }

    /** JSch parsed a hostile answer into something it did not expect. */
    private static PermanentProviderException malformed(String what, String path, RuntimeException e) {
        return new PermanentProviderException(
                what + " " + Failures.quote(path) + ": the server's answer is malformed (" + e + ")", e);
    }

    private SftpConnection connection() throws ProviderException {
        if (connection == null) {
            throw new PermanentProviderException("this SFTP session is closed");
        }
        if (!connection.alive()) {
            connection.close();
            LOG.log(
                    Level.INFO,
                    "SFTP account {0}: connection to {1} lost; connecting again",
                    account.username(),
                    account.target());
            connection = SftpConnection.open(account, pin, settings);
        }
        return connection;
    }

    /** The account's root folder as an absolute server path; checked to be a folder. */
    private static String root(SftpCredentials account, SftpConnection connection, Watchdog watchdog)
            throws ProviderException {
        ChannelSftp sftp = connection.sftp();
        String given = account.root();
        try (Watchdog.Guard guard = watchdog.arm(connection::close)) {
            try {
                // realpath resolves a relative root against the login folder; JSch passes it on unescaped.
                String root = given.isEmpty() ? sftp.getHome() : sftp.realpath(given);
                SftpATTRS attrs = sftp.stat(RemotePath.escape(root));
                if (Attributes.kind(attrs, EntryPaths.ROOT) != Attributes.Kind.FOLDER) {
                    throw new BadCredentialsException(
                            "The root '" + root + "' on " + account.target() + " is not a folder; enter a folder.");
                }
                return root;
            } catch (SftpException e) {
                ProviderException failure =
                        Failures.of(e, "opening the root", given, guard.fired(), connection.alive());
                if (failure instanceof NotFoundException || failure instanceof PermanentProviderException) {
                    throw new BadCredentialsException(
                            "The root folder '" + (given.isEmpty() ? "(login folder)" : given) + "' on "
                                    + account.target() + " cannot be used: " + failure.getMessage(),
                            e);
                }
                throw failure;
            } catch (RuntimeException e) {
                throw malformed("opening the root", given, e);
            }
        }
    }

    /** A provider path, checked; a wrong one is the caller's permanent mistake. */
    private static String checked(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("no path given; the root is \"/\"");
        }
        try {
            return EntryPaths.normalize(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }
}
