package org.cloudkeep.provider.sftp;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.cloudkeep.itests.servers.MinaSftpServer;

/** Credentials and settings the tests share. */
final class Accounts {

    static final String PASSWORD = "s3cret pass";

    private Accounts() {}

    /** A password account on a MINA server, its host key pinned. */
    static Map<String, String> mina(MinaSftpServer server) {
        return Map.of(
                SftpCredentials.HOST, server.host(),
                SftpCredentials.PORT, Integer.toString(server.port()),
                SftpCredentials.USERNAME, server.user(),
                SftpCredentials.PASSWORD, PASSWORD,
                SftpCredentials.HOST_KEY, server.hostKeyLine());
    }

    /** The same credentials with one value replaced, or removed when {@code value} is null. */
    static Map<String, String> with(Map<String, String> credentials, String key, String value) {
        Map<String, String> changed = new HashMap<>(credentials);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.put(key, value);
        }
        return changed;
    }

    /** Short time-outs, so that a test of a silent server ends soon; generous enough for a slow machine. */
    static SftpSettings impatient() {
        return SftpSettings.defaults().withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2));
    }
}
