package org.cloudkeep.fetcher.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The fetcher's configuration, checked; values left empty come from the launcher (framework
 * properties) and the token from the environment.
 *
 * @param cloud the cloud runtime's base URL, or empty when the device does not back up
 * @param token the device token, or empty
 */
record Settings(
        Optional<URI> cloud,
        Optional<String> token,
        Path backupRoot,
        boolean parallel,
        int parallelDownloads,
        int reportBatch,
        Duration idle,
        int attemptsPerFile,
        Duration maxRetryAfter,
        long checkpointBytes,
        long reserveBytes,
        Optional<Path> freeBytesFile) {

    static final String CLOUD_PROPERTY = "cloudkeep.cloud";
    static final String BACKUP_ROOT_PROPERTY = "cloudkeep.backupRoot";
    static final String DATA_PROPERTY = "cloudkeep.data";
    static final String FREE_BYTES_FILE_PROPERTY = "cloudkeep.fetcher.freeBytesFile";
    static final String TOKEN_VARIABLE = "CLOUDKEEP_DEVICE_TOKEN";

    /**
     * @param framework framework properties by name (null when unset)
     * @param environment environment variables by name (null when unset)
     * @param cores the processors the device has
     */
    static Settings of(
            FetcherConfig config, UnaryOperator<String> framework, UnaryOperator<String> environment, int cores) {
        String url = firstOf(config.cloudUrl(), framework.apply(CLOUD_PROPERTY));
        Optional<URI> cloud = url.isEmpty() ? Optional.empty() : Optional.of(cloudUri(url));
        String token = firstOf(environment.apply(TOKEN_VARIABLE), "");
        String root = firstOf(config.backupRoot(), framework.apply(BACKUP_ROOT_PROPERTY));
        Path backupRoot = root.isEmpty()
                ? Path.of(firstOf(framework.apply(DATA_PROPERTY), "data")).resolve("backup")
                : Path.of(root);
        String freeFile = firstOf(config.freeBytesFile(), framework.apply(FREE_BYTES_FILE_PROPERTY));
        return new Settings(
                cloud,
                token.isEmpty() ? Optional.empty() : Optional.of(token),
                backupRoot.toAbsolutePath().normalize(),
                parallel(config.mode(), cores),
                atLeast("parallelDownloads", config.parallelDownloads(), 1),
                atLeast("reportBatch", config.reportBatch(), 1),
                Duration.ofSeconds(atLeast("idleSeconds", config.idleSeconds(), 1)),
                atLeast("attemptsPerFile", config.attemptsPerFile(), 1),
                Duration.ofSeconds(atLeast("maxRetryAfterSeconds", config.maxRetryAfterSeconds(), 0)),
                atLeast("checkpointMebibytes", config.checkpointMebibytes(), 1) * 1024L * 1024L,
                atLeast("reserveMebibytes", config.reserveMebibytes(), 0) * 1024L * 1024L,
                freeFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(freeFile)));
    }

    /** Whether the device backs up at all: it needs both a cloud and a token. */
    boolean backsUp() {
        return cloud.isPresent() && token.isPresent();
    }

    private static URI cloudUri(String url) {
        try {
            URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "the cloud URL must be http:// or https:// with a host, like http://192.168.1.10:8080, not '"
                                + url + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the cloud URL '" + url + "' is not a URL: " + e.getMessage(), e);
        }
    }

    private static boolean parallel(String mode, int cores) {
        return switch (mode == null ? "" : mode.strip().toUpperCase(Locale.ROOT)) {
            case "", "AUTO" -> cores > 1;
            case "SERIAL" -> false;
            case "PARALLEL" -> true;
            default -> throw new IllegalArgumentException(
                    "the fetcher mode must be AUTO, SERIAL or PARALLEL, not '" + mode + "'");
        };
    }

    private static String firstOf(String configured, String fallback) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        return fallback == null ? "" : fallback.strip();
    }

    private static int atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(
                    "the fetcher setting " + name + " must be at least " + least + ", not " + value);
        }
        return value;
    }
}
