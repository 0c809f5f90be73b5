package org.cloudkeep.provider.sftp;

import java.time.Duration;
import java.util.Objects;

/**
 * How the provider talks to every server: time-outs and the listing page size. Tests build one
 * directly; in the framework it comes from {@link SftpConfig}.
 *
 * @param connectTimeout TCP connect, SSH handshake and login, and opening an SFTP channel
 * @param operationTimeout the longest one SFTP request may go without an answer
 * @param keepAliveInterval how often an idle connection sends a keep-alive (three missed: dead)
 * @param pageSize the most entries one page of a listing holds
 */
public record SftpSettings(
        Duration connectTimeout, Duration operationTimeout, Duration keepAliveInterval, int pageSize) {

    /** Keep-alives a server may leave unanswered before the connection counts as dead. */
    static final int KEEP_ALIVE_COUNT_MAX = 3;

    public SftpSettings {
        positiveMillis(connectTimeout, "connectTimeout");
        positiveMillis(operationTimeout, "operationTimeout");
        positiveMillis(keepAliveInterval, "keepAliveInterval");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("page size must be 1 to 10000: " + pageSize);
        }
    }

    /** The defaults of {@link SftpConfig}. */
    public static SftpSettings defaults() {
        return new SftpSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(15), 1000);
    }

    static SftpSettings of(SftpConfig config) {
        return new SftpSettings(
                Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.operationTimeoutSeconds()),
                Duration.ofSeconds(config.keepAliveSeconds()),
                config.pageSize());
    }

    /** A copy with another page size. */
    public SftpSettings withPageSize(int size) {
        return new SftpSettings(connectTimeout, operationTimeout, keepAliveInterval, size);
    }

    /** A copy with other time-outs. */
    public SftpSettings withTimeouts(Duration connect, Duration operation) {
        return new SftpSettings(connect, operation, keepAliveInterval, pageSize);
    }

    int connectTimeoutMillis() {
        return (int) connectTimeout.toMillis();
    }

    int keepAliveMillis() {
        return (int) keepAliveInterval.toMillis();
    }

    // JSch takes time-outs as int milliseconds; 0 would mean "wait forever".
    private static void positiveMillis(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and 24 days: " + value);
        }
    }
}
