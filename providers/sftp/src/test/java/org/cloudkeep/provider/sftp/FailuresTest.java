package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static final String PATH = "/a/b.txt";

    @Test
    void statusCodesMapToTheirKind() {
        assertInstanceOf(NotFoundException.class, request(new SftpException(ChannelSftp.SSH_FX_NO_SUCH_FILE, "gone")));
        ProviderException denied = request(new SftpException(ChannelSftp.SSH_FX_PERMISSION_DENIED, "denied"));
        assertInstanceOf(PermanentProviderException.class, denied);
        assertTrue(denied.getMessage().contains(PATH), "the message names the path: " + denied.getMessage());
        assertInstanceOf(
                PermanentProviderException.class, request(new SftpException(ChannelSftp.SSH_FX_OP_UNSUPPORTED, "no")));
        assertInstanceOf(
                TransientProviderException.class,
                request(new SftpException(ChannelSftp.SSH_FX_CONNECTION_LOST, "lost")));
        assertInstanceOf(
                TransientProviderException.class,
                request(new SftpException(ChannelSftp.SSH_FX_FAILURE, "EIO on the server")));
    }

    @Test
    void aLostConnectionOrATimeOutIsTransientWhateverTheCode() {
        SftpException notFound = new SftpException(ChannelSftp.SSH_FX_NO_SUCH_FILE, "");
        assertInstanceOf(TransientProviderException.class, Failures.of(notFound, "listing", PATH, true, true));
        SftpException closed =
                new SftpException(ChannelSftp.SSH_FX_FAILURE, "", new IOException("inputstream is closed"));
        assertInstanceOf(TransientProviderException.class, Failures.of(closed, "listing", PATH, false, true));
        SftpException failure = new SftpException(ChannelSftp.SSH_FX_FAILURE, "");
        assertInstanceOf(TransientProviderException.class, Failures.of(failure, "listing", PATH, false, false));
    }

    @Test
    void anAnswerJSchCouldNotParseIsPermanent() {
        SftpException garbled =
                new SftpException(ChannelSftp.SSH_FX_FAILURE, "", new ArrayIndexOutOfBoundsException(70000));
        ProviderException failure = Failures.of(garbled, "listing", PATH, false, true);
        assertInstanceOf(PermanentProviderException.class, failure);
        assertTrue(failure.getMessage().contains("malformed"), failure.getMessage());
    }

    @Test
    void connectFailuresMapToTheirKind() throws Exception {
        SftpCredentials account = SftpCredentials.parse(Map.of(
                SftpCredentials.HOST, "server.example",
                SftpCredentials.USERNAME, "ann",
                SftpCredentials.PASSWORD, "secret"));
        HostKeyPin pin = account.hostKey();
        assertInstanceOf(
                BadCredentialsException.class,
                Failures.ofConnect(new JSchException("Auth fail for methods 'password'"), account, pin));
        assertInstanceOf(
                BadCredentialsException.class, Failures.ofConnect(new JSchException("Auth cancel"), account, pin));
        assertInstanceOf(
                TransientProviderException.class,
                Failures.ofConnect(
                        new JSchException("java.net.ConnectException: refused", new ConnectException()), account, pin));
        ProviderException unknown = Failures.ofConnect(
                new JSchException("server.example", new UnknownHostException("server.example")), account, pin);
        assertInstanceOf(TransientProviderException.class, unknown);
        assertTrue(unknown.getMessage().contains("server.example"), unknown.getMessage());
        assertInstanceOf(
                PermanentProviderException.class,
                Failures.ofConnect(new JSchException("invalid server's version string"), account, pin));
        ProviderException secretFree = Failures.ofConnect(new JSchException("Auth fail"), account, pin);
        assertTrue(!secretFree.getMessage().contains("secret"), "no secret in a message: " + secretFree.getMessage());
    }

    private static ProviderException request(SftpException e) {
        return Failures.of(e, "reading", PATH, false, true);
    }
}
