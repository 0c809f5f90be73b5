package org.cloudkeep.accounts.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The component's configuration, checked.
 *
 * @param sessionDays days a session token stays valid
 * @param defaultGroupSize entries per task group when a new container does not say
 * @param defaultTraverseEveryHours hours between re-traversals when a new container does not say
 * @param passwordIterations PBKDF2 iterations for new password hashes
 * @param keyFile the file that holds the credential sealing key
 */
record Settings(
        int sessionDays, int defaultGroupSize, int defaultTraverseEveryHours, int passwordIterations, Path keyFile) {

    static final int DEFAULT_SESSION_DAYS = 30;
    static final int DEFAULT_GROUP_SIZE = 1000;
    static final int DEFAULT_TRAVERSE_EVERY_HOURS = 24;
    static final String KEY_FILE_NAME = "secret.key";
    /** The framework property the launcher sets from {@code --data}. */
    static final String DATA_PROPERTY = "cloudkeep.data";

    Settings {
        check("sessionDays", sessionDays, 1, 3650);
        check("defaultGroupSize", defaultGroupSize, Validation.MIN_GROUP_SIZE, Validation.MAX_GROUP_SIZE);
        check(
                "defaultTraverseEveryHours",
                defaultTraverseEveryHours,
                Validation.MIN_TRAVERSE_HOURS,
                Validation.MAX_TRAVERSE_HOURS);
        check("passwordIterations", passwordIterations, Passwords.MIN_ITERATIONS, Passwords.MAX_ITERATIONS);
        Objects.requireNonNull(keyFile, "keyFile");
    }

    /** The defaults, with the key file in a data folder. */
    static Settings defaults(Path dataFolder) {
        return new Settings(
                DEFAULT_SESSION_DAYS,
                DEFAULT_GROUP_SIZE,
                DEFAULT_TRAVERSE_EVERY_HOURS,
                Passwords.DEFAULT_ITERATIONS,
                dataFolder.resolve(KEY_FILE_NAME));
    }

    static Settings from(AccountsConfig config, String dataProperty) {
        return new Settings(
                config.sessionDays(),
                config.defaultGroupSize(),
                config.defaultTraverseEveryHours(),
                config.passwordIterations(),
                keyFile(config.keyFile(), dataProperty));
    }

    /** The configured key file, else {@code secret.key} in the data folder. */
    static Path keyFile(String configured, String dataProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        Path data = dataProperty != null && !dataProperty.isBlank() ? Path.of(dataProperty) : Path.of("data");
        return data.resolve(KEY_FILE_NAME);
    }

    Settings withPasswordIterations(int iterations) {
        return new Settings(sessionDays, defaultGroupSize, defaultTraverseEveryHours, iterations, keyFile);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("configuration " + AccountsService.PID + ": " + name + " must be " + min
                    + "-" + max + ", not " + value);
        }
    }
}
