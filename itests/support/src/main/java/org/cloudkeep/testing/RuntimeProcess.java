package org.cloudkeep.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A runtime started through {@code ./cloudkeep}, as a user or a packager starts it: on a free
 * loopback port, with its own data folder, its output in {@code <data>/runtime.log}. Closing it
 * kills whatever is left.
 */
public final class RuntimeProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final long startedNanos;
    private final int port;
    private final Path data;
    private final Path log;

    private RuntimeProcess(Process process, long startedNanos, int port, Path data, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.port = port;
        this.data = data;
        this.log = log;
    }

    /**
     * Starts {@code ./cloudkeep <runtime> --port <free> --data <data>}.
     *
     * @param launcher the {@code cloudkeep} script
     */
    public static RuntimeProcess start(Path launcher, String runtime, Path data) throws IOException {
        return start(launcher, runtime, data, List.of());
    }

    /**
     * Starts {@code ./cloudkeep <runtime> --port <free> --data <data> <more flags>}; the output is
     * appended to {@code <data>/runtime.log}, so a restart on the same data keeps the earlier log.
     */
    public static RuntimeProcess start(Path launcher, String runtime, Path data, List<String> flags)
            throws IOException {
        return start(launcher, runtime, data, flags, freePort());
    }

    /** The same on a given port: to start a runtime again where its clients expect it. */
    public static RuntimeProcess start(Path launcher, String runtime, Path data, List<String> flags, int port)
            throws IOException {
        Files.createDirectories(data);
        Path log = data.resolve("runtime.log");
        List<String> command = new ArrayList<>(List.of(
                "bash", launcher.toString(), runtime, "--port", String.valueOf(port), "--data", data.toString()));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long started = System.nanoTime();
        return new RuntimeProcess(builder.start(), started, port, data, log);
    }

    /** Runs the launcher to its end, for the calls that must fail fast. */
    public static Finished run(Path launcher, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not end within " + timeout + ": " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Finished(process.exitValue(), output);
    }

    /** What a launcher run that ended printed, and its exit code. */
    public record Finished(int exitCode, String output) {}

    /** A TCP port that was free on the loopback address a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path data() {
        return data;
    }

    /** The folder the runtime watches for provider bundles (the launcher's default). */
    public Path plugins() {
        return data.resolve("plugins");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Waits until {@code GET /health} answers 200.
     *
     * @return the time from the launcher's start to that first answer
     */
    public Duration awaitHealthy(Duration timeout) throws InterruptedException {
        await(timeout, "GET /health to answer 200", () -> healthStatus() == 200);
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The status of {@code GET /health}, or -1 when nothing answers. */
    public int healthStatus() {
        try {
            return HTTP.send(request("/health"), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of {@code GET /health}. */
    public JsonNode health() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request("/health"), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/health answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The ids of the providers {@code /health} lists now. */
    public List<String> providerIds() {
        try {
            List<String> ids = new ArrayList<>();
            health().get("providers").forEach(p -> ids.add(p.get("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Resident memory of the runtime's JVM (the launcher execs it, so it has the launcher's pid). */
    public long residentBytes() throws IOException {
        return status("VmRSS:");
    }

    /** The most resident memory the runtime's JVM has held so far (its high-water mark). */
    public long peakResidentBytes() throws IOException {
        return status("VmHWM:");
    }

    /**
     * The CPU time in seconds the runtime's JVM has used so far, all its threads (user and system),
     * from {@code /proc/<pid>/stat}, which counts it in clock ticks of {@code ticksPerSecond}
     * ({@code getconf CLK_TCK}).
     */
    public double cpuSeconds(long ticksPerSecond) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // After the command name in parentheses, which may hold spaces: state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ticksPerSecond;
    }

    private long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no " + key + " for process " + process.pid());
    }

    /**
     * Sends SIGTERM and waits for the process to end.
     *
     * @return its exit code
     */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the runtime did not stop within " + timeout + " of SIGTERM\n" + log());
        }
        return process.exitValue();
    }

    /** Kills the runtime with SIGKILL, as a power cut or the OOM killer would, and waits for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the runtime did not end within 30 s of SIGKILL");
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the runtime printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Polls a condition every 50 ms until it holds; fails with the runtime's log when the time runs
     * out or the runtime dies first.
     */
    public void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the runtime exited (" + process.exitValue() + ") while waiting for " + what + "\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + log());
            }
            Thread.sleep(50);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
