package org.cloudkeep.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cloudkeep.backup.CloudSide.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No password, token or provider secret lands in the database files or the log in plain text. */
class SecretsTest {

    @Test
    void secretsAreNeverStoredOrLoggedInPlainText(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("data");
        String providerSecret;
        User user;
        String log;
        try (CloudSide cloud = new CloudSide(data)) {
            user = cloud.user();
            Path source = Files.createDirectories(temp.resolve("vault-folder"));
            Files.writeString(source.resolve("f.txt"), "content");
            providerSecret = source.getFileName() + "-secret";
            long container = cloud.container(user, cloud.account(user, source, true), 10);
            // The secret does travel to the owner's device, which needs it to fetch.
            assertEquals(
                    providerSecret,
                    cloud.next(user)
                            .json()
                            .get("account")
                            .get("credentials")
                            .get("password")
                            .asText());
            assertEquals(
                    200,
                    cloud.api
                            .get("/api/v1/containers/" + container, user.token())
                            .status());
            cloud.runtime.stop(java.time.Duration.ofSeconds(30)); // flushes the database to its files
            log = cloud.runtime.log();
        }
        Map<String, String> secrets = Map.of(
                "the user's password", user.password(),
                "the provider password", providerSecret,
                "the session token", user.token(),
                "the device token", user.deviceToken());
        List<String> found = new ArrayList<>();
        boolean usernameSeen = false;
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                usernameSeen |= contains(bytes, user.name());
                for (var secret : secrets.entrySet()) {
                    if (contains(bytes, secret.getValue())) {
                        found.add(secret.getKey() + " in " + data.relativize(file));
                    }
                }
            }
        }
        for (var secret : secrets.entrySet()) {
            if (log.contains(secret.getValue())) {
                found.add(secret.getKey() + " in the log");
            }
        }
        assertTrue(usernameSeen, "the scan finds what is stored in plain text, such as the username");
        assertEquals(List.of(), found);
    }

    /** Whether the bytes hold the text in UTF-8 (Derby's modified UTF-8 is the same for ASCII) or UTF-16. */
    private static boolean contains(byte[] haystack, String text) {
        return indexOf(haystack, text.getBytes(StandardCharsets.UTF_8)) >= 0
                || indexOf(haystack, text.getBytes(StandardCharsets.UTF_16BE)) >= 0
                || indexOf(haystack, text.getBytes(StandardCharsets.UTF_16LE)) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
