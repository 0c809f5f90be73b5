package org.cloudkeep.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A runtime started through the {@code cloudkeep} launcher, as a user starts it, with its output in a log file. The
 * launcher execs the JVM, so the process is the runtime's and {@link Process#destroy} is a SIGTERM to it.
 */
final class LaunchedRuntime {

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final int port;
    private final Path data;
    private final Path log;
    private final Http http;
    private Integer exitCode;

    private LaunchedRuntime(String name, Process process, long startedNanos, int port, Path data, Path log) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.port = port;
        this.data = data;
        this.log = log;
        this.http = new Http(URI.create("http://127.0.0.1:" + port), log);
    }

    /**
     * Installs a provider jar into {@code <data>/plugins} (copied under a name the watcher ignores, then renamed, so
     * it never sees half a jar) and starts {@code <launcher> <runtime> --port <port> --data <data> [extra]}.
     */
    static LaunchedRuntime start(
            Path launcher,
            String runtime,
            int port,
            Path data,
            Path log,
            Path providerJar,
            List<String> extra,
            Map<String, String> environment) {
        try {
            Path plugins = Files.createDirectories(data.resolve("plugins"));
            Path partial = plugins.resolve("local.jar.part");
            Files.copy(providerJar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, plugins.resolve("local.jar"), StandardCopyOption.ATOMIC_MOVE);
            List<String> command = new ArrayList<>(List.of(
                    "bash", launcher.toString(), runtime, "--port", String.valueOf(port), "--data", data.toString()));
            command.addAll(extra);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Only the loopback address, whatever the caller's environment says.
            builder.environment().putAll(environment);
            builder.environment().put("CLOUDKEEP_HOST", "127.0.0.1");
            long started = System.nanoTime();
            return new LaunchedRuntime(runtime, builder.start(), started, port, data, log);
        } catch (IOException e) {
            throw new DemoFailure("cannot start the " + runtime + " runtime: " + e.getMessage(), e, log);
        }
    }

    /** A TCP port that was free on the loopback address a moment ago, other than the ones given. */
    static int freePort(int... taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                boolean used = false;
                for (int t : taken) {
                    used |= t == port;
                }
                if (!used) {
                    return port;
                }
            } catch (IOException e) {
                throw new DemoFailure("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
            }
        }
        throw new DemoFailure("cannot find a free port on 127.0.0.1");
    }

    /**
     * Waits until {@code GET /health} answers and lists the {@code local} provider.
     *
     * @return the time since the launcher was started
     */
    Duration awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            checkAlive();
            JsonNode health = http.probe("/health");
            if (health != null) {
                for (JsonNode provider : health.path("providers")) {
                    if ("local".equals(provider.path("id").asText())) {
                        return Duration.ofNanos(System.nanoTime() - startedNanos);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DemoFailure(
                        "the " + name + " runtime did not "
                                + (health == null ? "answer GET /health" : "list the local provider in GET /health")
                                + " within " + timeout.toSeconds() + " s",
                        log);
            }
            Http.sleep(Duration.ofMillis(100));
        }
    }

    /** Fails when the runtime has ended. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new DemoFailure("the " + name + " runtime exited with code " + process.exitValue(), log);
        }
    }

    int port() {
        return port;
    }

    Path data() {
        return data;
    }

    Path log() {
        return log;
    }

    Http http() {
        return http;
    }

    String name() {
        return name;
    }

    /**
     * Sends SIGTERM and waits; kills it when it does not end in time. Safe to call again, and from a shutdown hook.
     *
     * @return the exit code
     */
    synchronized int stop(Duration timeout) {
        if (exitCode != null) {
            return exitCode;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        exitCode = process.isAlive() ? -1 : process.exitValue();
        return exitCode;
    }

    synchronized boolean stopped() {
        return exitCode != null;
    }
}
