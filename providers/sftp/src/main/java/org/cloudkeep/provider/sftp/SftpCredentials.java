package org.cloudkeep.provider.sftp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CredentialField;

/**
 * An account's credentials, checked. Secret values are kept as the user gave them and never put in
 * messages.
 *
 * @param host the server's name or address
 * @param port the SSH port
 * @param username the login name
 * @param password the password, or {@code null}
 * @param privateKey the private key text (OpenSSH or PEM), or {@code null}
 * @param passphrase the private key's passphrase, or {@code null}
 * @param hostKey the pinned host key (or none)
 * @param root the folder that is the account's root as the user gave it; empty for the login folder
 * @param given the map as given, for {@link #withHostKey}
 */
record SftpCredentials(
        String host,
        int port,
        String username,
        String password,
        String privateKey,
        String passphrase,
        HostKeyPin hostKey,
        String root,
        Map<String, String> given) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String PRIVATE_KEY = "privateKey";
    static final String PASSPHRASE = "passphrase";
    static final String HOST_KEY = "hostKey";
    static final String ROOT = "root";

    static final int DEFAULT_PORT = 22;

    /** The fields, in the order a form shows them; a password or a private key is needed, not both. */
    static final List<CredentialField> FIELDS = List.of(
            new CredentialField(HOST, "Host", false),
            CredentialField.optional(PORT, "Port (default 22)", false),
            new CredentialField(USERNAME, "User name", false),
            CredentialField.optional(PASSWORD, "Password (or a private key)", true),
            CredentialField.optional(PRIVATE_KEY, "Private key (OpenSSH or PEM text)", true),
            CredentialField.optional(PASSPHRASE, "Private key passphrase", true),
            CredentialField.optional(HOST_KEY, "Server host key or its SHA256 fingerprint (recommended)", false),
            CredentialField.optional(ROOT, "Folder (default: the login folder)", false));

    /**
     * Checks the credentials a user entered.
     *
     * @throws BadCredentialsException naming the field that is missing or wrong
     */
    static SftpCredentials parse(Map<String, String> credentials) throws BadCredentialsException {
        Map<String, String> given = credentials == null ? Map.of() : Map.copyOf(withoutNulls(credentials));
        String host = text(given, HOST);
        if (host == null) {
            throw new BadCredentialsException("No host given: enter the SFTP server's name or address.");
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new BadCredentialsException("The host '" + host + "' holds spaces or control characters.");
        }
        String username = text(given, USERNAME);
        if (username == null) {
            throw new BadCredentialsException("No user name given: enter the name you log in to " + host + " with.");
        }
        String password = secret(given, PASSWORD);
        String privateKey = secret(given, PRIVATE_KEY);
        if (password == null && privateKey == null) {
            throw new BadCredentialsException("Neither a password nor a private key given: enter one of them.");
        }
        String root = text(given, ROOT);
        return new SftpCredentials(
                host,
                port(text(given, PORT)),
                username,
                password,
                privateKey,
                secret(given, PASSPHRASE),
                HostKeyPin.parse(given.get(HOST_KEY)),
                root == null ? "" : root,
                given);
    }

    /** The credentials as given, with the host key pinned to the one a server showed. */
    Map<String, String> withHostKey(String keyLine) {
        Map<String, String> renewed = new HashMap<>(given);
        renewed.put(HOST_KEY, keyLine);
        return Map.copyOf(renewed);
    }

    /** {@code host:port}, for messages. */
    String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        // Records print every component; the secrets must never reach a log.
        return "SftpCredentials[" + username + "@" + target() + ", root='" + root + "']";
    }

    private static int port(String value) throws BadCredentialsException {
        if (value == null) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadCredentialsException("The port '" + value + "' is not a number from 1 to 65535.");
    }

    /** A trimmed value, or {@code null} when missing or blank. */
    private static String text(Map<String, String> given, String key) {
        String value = given.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A secret exactly as given (spaces may belong to it), or {@code null} when missing or empty. */
    private static String secret(Map<String, String> given, String key) {
        String value = given.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, String> withoutNulls(Map<String, String> credentials) {
        Map<String, String> copy = new HashMap<>();
        credentials.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }
}
