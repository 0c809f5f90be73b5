package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import org.cloudkeep.api.BadCredentialsException;

/**
 * The host key an account expects, checked by JSch during the handshake. Given as a public key line
 * ({@code ssh-ed25519 AAAA... comment}, or a known_hosts line) or as its fingerprint ({@code
 * SHA256:...}, as {@code ssh-keygen -l} prints it). When none is given, any key is accepted and
 * remembered ({@link #seenKeyLine()}), so that it can be pinned afterwards: trust on first use.
 *
 * <p>One instance serves one connection attempt at a time; JSch calls it from the connecting thread.
 */
final class HostKeyPin implements HostKeyRepository {

    private static final String FINGERPRINT_PREFIX = "SHA256:";

    /** The key type of a pinned key line, or {@code null} for a bare fingerprint or no pin. */
    private final String type;
    /** The expected SHA256 fingerprint, or {@code null} when any key is accepted. */
    private final String fingerprint;

    private volatile String seenKeyLine;
    private volatile String seenFingerprint;

    private HostKeyPin(String type, String fingerprint) {
        this.type = type;
        this.fingerprint = fingerprint;
    }

    /**
     * Reads the credential value.
     *
     * @param value blank for none, a public key line, a known_hosts line or a {@code SHA256:} fingerprint
     * @throws BadCredentialsException when it is none of these
     */
    static HostKeyPin parse(String value) throws BadCredentialsException {
        if (value == null || value.isBlank()) {
            return new HostKeyPin(null, null);
        }
        String trimmed = value.strip();
        if (trimmed.regionMatches(true, 0, FINGERPRINT_PREFIX, 0, FINGERPRINT_PREFIX.length())) {
            String digest = trimmed.substring(FINGERPRINT_PREFIX.length()).replaceAll("=+$", "");
            byte[] bytes = decodeBase64(digest);
            if (bytes == null || bytes.length != 32) {
                throw new BadCredentialsException("The host key fingerprint '" + trimmed + "' is not a SHA256"
                        + " fingerprint; copy it as ssh-keygen -l prints it (SHA256:...), or enter the key itself.");
            }
            return new HostKeyPin(null, FINGERPRINT_PREFIX + digest);
        }
        // "type base64 [comment]", possibly after known_hosts host names: the key is the first
        // base64 field whose blob names the same type as the field before it.
        String[] fields = trimmed.split("\\s+");
        for (int i = 0; i + 1 < fields.length; i++) {
            byte[] blob = decodeBase64(fields[i + 1]);
            if (blob != null && fields[i].equals(blobType(blob).orElse(null))) {
                return new HostKeyPin(fields[i], fingerprint(blob));
            }
        }
        throw new BadCredentialsException("The host key is neither a public key line (ssh-ed25519 AAAA...) nor a"
                + " SHA256 fingerprint; copy it from the server's /etc/ssh/ssh_host_*_key.pub or from"
                + " ssh-keygen -l.");
    }

    /** Whether a key was pinned, so that any other is refused. */
    boolean pinned() {
        return fingerprint != null;
    }

    /** The expected fingerprint, for messages; {@code null} when none is pinned. */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * The host-key algorithms to ask the server for: those of the pinned key's type, so that a
     * server with several host keys shows the one that was pinned. {@code null}: JSch's defaults.
     */
    String hostKeyAlgorithms() {
        if (type == null) {
            return null;
        }
        return type.equals("ssh-rsa") ? "rsa-sha2-512,rsa-sha2-256,ssh-rsa" : type;
    }

    /** The key the server showed in the last handshake, as a public key line; {@code null} before one. */
    String seenKeyLine() {
        return seenKeyLine;
    }

    /** The fingerprint of the key the server showed in the last handshake; {@code null} before one. */
    String seenFingerprint() {
        return seenFingerprint;
    }

    @Override
    public int check(String host, byte[] key) {
        String seen = fingerprint(key);
        seenFingerprint = seen;
        seenKeyLine =
                blobType(key).orElse("unknown") + " " + Base64.getEncoder().encodeToString(key);
        if (fingerprint == null || fingerprint.equals(seen)) {
            return OK;
        }
        return CHANGED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Pins come from the account's credentials only; nothing is learnt behind the user's back.
    }

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public String getKnownHostsRepositoryID() {
        return "cloudkeep account host key";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }

    /** SHA256 fingerprint of a key blob, in OpenSSH's form: {@code SHA256:} and unpadded base64. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return FINGERPRINT_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The key type a key blob starts with (an SSH string), if it is readable. */
    private static Optional<String> blobType(byte[] blob) {
        if (blob.length < 4) {
            return Optional.empty();
        }
        int length = ByteBuffer.wrap(blob).getInt();
        if (length <= 0 || length > 64 || length > blob.length - 4) {
            return Optional.empty();
        }
        return Optional.of(new String(blob, 4, length, StandardCharsets.US_ASCII));
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
