package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.net.UnknownHostException;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;

/** Turns JSch's failures into the api's typed exceptions, with messages that say what to do. */
final class Failures {

    private Failures() {}

    /** A failure to open the SSH connection or its SFTP channel. */
    static ProviderException ofConnect(JSchException e, SftpCredentials account, HostKeyPin pin) {
        String target = account.target();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof JSchHostKeyException) {
            return new BadCredentialsException(
                    "The server at " + target + " presented the host key " + pin.seenFingerprint() + " ("
                            + keyType(pin.seenKeyLine()) + "), not the pinned " + pin.fingerprint() + ". If the"
                            + " server's key was changed on purpose, enter the new one as the host key;"
                            + " otherwise someone may be intercepting the connection. Not connected.",
                    e);
        }
        // JSch's own auth exceptions are not public; their messages start with these words.
        if (message.startsWith("Auth fail")
                || message.startsWith("Auth cancel")
                || message.contains("authentication")) {
            return new BadCredentialsException(
                    "The server at " + target + " refused user '" + account.username() + "' with the "
                            + (account.privateKey() == null ? "password" : "private key")
                            + (account.privateKey() != null && account.password() != null ? " and the password" : "")
                            + " given; check them (" + message + ").",
                    e);
        }
        if (e instanceof JSchAlgoNegoFailException) {
            return new PermanentProviderException(
                    "The server at " + target + " and CloudKeep share no SSH algorithm: " + message, e);
        }
        if (message.contains("invalid server's version string")) {
            return new PermanentProviderException(
                    target + " does not speak SSH; check the host and the port (" + message + ").", e);
        }
        if (e.getCause() instanceof UnknownHostException) {
            return new TransientProviderException(
                    "The host '" + account.host() + "' is unknown (no DNS entry); check the host name.", e);
        }
        if (message.contains("subsystem")) {
            return new PermanentProviderException(
                    "The server at " + target + " does not offer SFTP (" + message + ").", e);
        }
        return new TransientProviderException("Cannot connect to " + target + ": " + message, e);
    }

    /**
     * A failed SFTP request.
     *
     * @param what what the call did, for the message: "listing", "reading"
     * @param path the provider path it was about
     * @param timedOut whether the watchdog dropped the connection meanwhile
     * @param connected whether the connection is still up
     */
    static ProviderException of(SftpException e, String what, String path, boolean timedOut, boolean connected) {
        String quoted = quote(path);
        if (timedOut) {
            return new TransientProviderException(
                    what + " " + quoted + ": the server did not answer in time; the connection was dropped", e);
        }
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new NotFoundException("nothing at " + quoted, e);
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new PermanentProviderException(
                    "permission denied on " + quoted + ": the server does not let this account read it", e);
            case ChannelSftp.SSH_FX_OP_UNSUPPORTED -> new PermanentProviderException(
                    what + " " + quoted + ": the server does not support it (" + e.getMessage() + ")", e);
            case ChannelSftp.SSH_FX_BAD_MESSAGE -> new PermanentProviderException(
                    what + " " + quoted + ": the server refused the request as malformed (" + e.getMessage() + ")", e);
            default -> other(e, what, quoted, connected);
        };
    }

    /** A read of a download stream that failed, as the IOException the stream's reader sees. */
    static IOException ofRead(IOException e, String path, boolean timedOut) {
        if (timedOut) {
            return new IOException("reading " + quote(path) + ": the server sent nothing in time; dropped", e);
        }
        return new IOException("reading " + quote(path) + " failed: " + e.getMessage(), e);
    }

    /** A failure the status code does not explain: a lost connection, a garbled answer, or the server's own. */
    private static ProviderException other(SftpException e, String what, String quoted, boolean connected) {
        Throwable cause = e.getCause();
        if (!connected || cause instanceof IOException || e.id == ChannelSftp.SSH_FX_CONNECTION_LOST) {
            return new TransientProviderException(what + " " + quoted + ": the connection was lost", e);
        }
        if (cause instanceof RuntimeException) {
            // JSch reports an answer it could not parse as the parser's own exception.
            return new PermanentProviderException(
                    what + " " + quoted + ": the server's answer is malformed (" + cause + ")", e);
        }
        // SSH_FX_FAILURE from the server itself: an I/O error on its side, worth another try.
        return new TransientProviderException(what + " " + quoted + " failed on the server: " + e.getMessage(), e);
    }

    static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }

    private static String keyType(String keyLine) {
        return keyLine == null ? "unknown type" : keyLine.substring(0, Math.max(0, keyLine.indexOf(' ')));
    }
}
