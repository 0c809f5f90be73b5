package org.cloudkeep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cloudkeep.testing.Api;
import org.cloudkeep.testing.Plugins;
import org.cloudkeep.testing.RuntimeProcess;

/**
 * The device backing up a tree of {@code bench.device.files} files (about {@code bench.device.mib}
 * MiB) from the {@code local} provider, from starting {@code ./cloudkeep device --cloud --token
 * --backup-root} to the cloud counting every file fetched, beside {@code cp -r} of the same tree in
 * the same run (the floor: no protocol, no hashing, no fsync), and {@code cp -r} followed by {@code
 * sync} (the floor for durable copies). Serial and parallel mode, several rounds each, every backup
 * checked byte for byte. Replaces its section of {@code docs/benchmarks.md}.
 */
public final class DeviceBackupBenchmark {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration BACKUP = Duration.ofSeconds(900);
    private static final Duration TRAVERSAL = Duration.ofSeconds(300);
    private static final Duration STOP = Duration.ofSeconds(30);

    /** One measured copy. */
    record Run(String what, double seconds, double peakRssMib, double startSeconds) {}

    /** Earlier figures, kept by hand: what a change bought is measured, not guessed. */
    private static final String HISTORY =
            "Before and after (same machine, same hour, medians of the device's time): with a"
                    + " database write per placed file (its `PLACED` state) serial 18.9 s and parallel 16.7 s; without it (a"
                    + " restarted device finds placed files identical on disk instead) serial 16.8 s and parallel 12.8 s.\n";

    private DeviceBackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(BenchmarksDoc.required("cloudkeep.launcher"));
        Path provider = Path.of(BenchmarksDoc.required("cloudkeep.provider.local.jar"));
        Path output = Path.of(BenchmarksDoc.required("bench.output"));
        int files = Integer.getInteger("bench.device.files", 2000);
        int mib = Integer.getInteger("bench.device.mib", 300);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));

        String load = BenchmarksDoc.loadAverage();
        Path temp = Files.createTempDirectory("cloudkeep-bench-device-");
        try {
            Path source = temp.resolve("source");
            long bytes = tree(source, files, (long) mib << 20);
            System.out.printf(Locale.ROOT, "bench: tree of %d files, %.1f MiB%n", files, bytes / 1048576.0);
            List<Run> runs = new ArrayList<>();
            try (RuntimeProcess cloud = RuntimeProcess.start(launcher, "cloud", temp.resolve("cloud"))) {
                cloud.awaitHealthy(START);
                Plugins.drop(provider, cloud.plugins(), "local.jar");
                cloud.await(START, "provider local", () -> cloud.providerIds().contains("local"));
                Api api = new Api(cloud.uri("/"));
                for (int round = 1; round <= rounds; round++) {
                    runs.add(copy(
                            List.of(
                                    "cp",
                                    "-r",
                                    source.toString(),
                                    temp.resolve("cp").toString()),
                            "cp -r"));
                    deleteTree(temp.resolve("cp"));
                    runs.add(copy(
                            List.of(
                                    "bash",
                                    "-c",
                                    "cp -r \"$0\" \"$1\" && sync",
                                    source.toString(),
                                    temp.resolve("cp").toString()),
                            "cp -r && sync"));
                    deleteTree(temp.resolve("cp"));
                    for (String mode : List.of("SERIAL", "PARALLEL")) {
                        Run run = device(launcher, provider, cloud, api, temp, source, mode, files);
                        System.out.printf(Locale.ROOT, "bench: round %d: %s%n", round, run);
                        runs.add(run);
                    }
                }
                cloud.stop(STOP);
            }
            BenchmarksDoc.replaceSection(output, "device", section(files, bytes, rounds, load, runs));
        } finally {
            BenchmarksDoc.deleteTree(temp);
        }
    }

    /** A device in a fresh data folder backs the tree up into a fresh root; the figures are checked. */
    private static Run device(
            Path launcher, Path provider, RuntimeProcess cloud, Api api, Path temp, Path source, String mode, int files)
            throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/v1/users", null, Map.of("username", name, "password", "benchmark-password"));
        String token = api.post("/api/v1/sessions", null, Map.of("username", name, "password", "benchmark-password"))
                .json()
                .get("token")
                .asText();
        JsonNode device = api.post("/api/v1/devices", token, Map.of("serial", name, "name", "bench"))
                .json();
        long accountId = api.post(
                        "/api/v1/accounts",
                        token,
                        Map.of("provider", "local", "label", "bench", "credentials", Map.of("root", source.toString())))
                .json()
                .get("accountId")
                .asLong();
        long containerId = api.post(
                        "/api/v1/containers",
                        token,
                        Map.of(
                                "accountId",
                                accountId,
                                "deviceId",
                                device.get("deviceId").asLong(),
                                "folders",
                                List.of("/")))
                .json()
                .get("containerId")
                .asLong();
        cloud.await(
                TRAVERSAL,
                "the first traversal",
                () -> container(api, token, containerId).get("state").asText().equals("READY"));

        Path data = temp.resolve("device-" + name);
        Path root = temp.resolve("backup-" + name);
        Files.createDirectories(data.resolve("config"));
        Files.writeString(data.resolve("config/cloudkeep.fetcher.cfg"), "mode=" + mode + "\n");
        Plugins.drop(provider, data.resolve("plugins"), "local.jar");
        long started = System.nanoTime();
        try (RuntimeProcess runtime = RuntimeProcess.start(
                launcher,
                "device",
                data,
                List.of(
                        "--cloud",
                        "http://127.0.0.1:" + cloud.port(),
                        "--token",
                        device.get("deviceToken").asText(),
                        "--backup-root",
                        root.toString()))) {
            double start = runtime.awaitHealthy(START).toNanos() / 1e9;
            runtime.await(BACKUP, "every file fetched", () -> {
                JsonNode c = container(api, token, containerId);
                return c.get("files").asLong() == files && c.get("fetchedFiles").asLong() == files;
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            double peak = runtime.peakResidentBytes() / 1048576.0;
            runtime.stop(STOP);
            verify(source, root.resolve(String.valueOf(containerId)), files);
            BenchmarksDoc.deleteTree(root);
            BenchmarksDoc.deleteTree(data);
            return new Run("device, " + mode.toLowerCase(Locale.ROOT), seconds, peak, start);
        }
    }

    private static JsonNode container(Api api, String token, long id) {
        try {
            return api.get("/api/v1/containers/" + id, token).json();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Run copy(List<String> command, String what) throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(BACKUP.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " failed");
        }
        return new Run(what, (System.nanoTime() - started) / 1e9, Double.NaN, Double.NaN);
    }

    /** {@code files} files in 20 folders, sizes spread so that they add up to about {@code total}. */
    static long tree(Path root, int files, long total) throws IOException {
        Random random = new Random(42);
        long written = 0;
        byte[] buffer = new byte[1 << 20];
        for (int i = 0; i < files; i++) {
            // A twentieth of the files are large (they hold about half the bytes), the rest small.
            long size = i % 20 == 0 ? total / 2 / (files / 20) : (total / 2) / (files - files / 20);
            size = Math.max(0, size + random.nextInt((int) Math.max(1, size / 2)) - size / 4);
            Path file = root.resolve("folder-" + (i % 20)).resolve("file-" + i + ".bin");
            Files.createDirectories(file.getParent());
            try (var out = Files.newOutputStream(file)) {
                for (long left = size; left > 0; left -= buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer, 0, (int) Math.min(left, buffer.length));
                }
            }
            written += size;
        }
        return written;
    }

    private static void verify(Path source, Path backup, int files) throws IOException {
        int compared = 0;
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                Path copy = backup.resolve(source.relativize(file).toString());
                if (Files.mismatch(file, copy) != -1) {
                    throw new IllegalStateException("the backup of " + file + " differs");
                }
                compared++;
            }
        }
        if (compared != files) {
            throw new IllegalStateException("compared " + compared + " files, not " + files);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.exists(path)) {
            BenchmarksDoc.deleteTree(path);
        }
    }

    static String section(int files, long bytes, int rounds, String load, List<Run> runs) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("## Device backup beside `cp -r`\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "A tree of %d files, %.0f MiB in 20 folders (a twentieth of the files hold half the bytes),"
                                + " is backed up by a device runtime from the `local` provider, %d rounds per mode."
                                + " The device's time runs from starting `./cloudkeep device --cloud --token"
                                + " --backup-root` (JVM start included, about 5 s) to the cloud counting every file"
                                + " fetched; peak RSS is the device JVM's `VmHWM`. Every backup is then compared byte"
                                + " for byte with the tree. `cp -r` of the same tree in the same run is the floor;"
                                + " `cp -r && sync` the floor for copies that are on disk, as the device's are (it"
                                + " forces each file to disk before it reports it, and hashes every byte to verify"
                                + " it). The page cache is warm for all of them.\n\n",
                        files,
                        bytes / 1048576.0,
                        rounds))
                .append("Rerun: `")
                .append(BenchmarksDoc.COMMAND)
                .append("` (every benchmark), or this one alone (see the top of this file):")
                .append(" `LC_ALL=C.UTF-8 mvn -B -Pbench -pl bench exec:exec@device`.\n\n")
                .append(BenchmarksDoc.measuredOn(load))
                .append("\n\n| Copy | Median | Min | Max | × `cp -r` (median) | of which start to `/health` (median)"
                        + " | Peak RSS (max) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        double floor = median(runs, "cp -r");
        for (String what : List.of("cp -r", "cp -r && sync", "device, serial", "device, parallel")) {
            double[] s = runs.stream()
                    .filter(r -> r.what().equals(what))
                    .mapToDouble(Run::seconds)
                    .sorted()
                    .toArray();
            double peak = runs.stream()
                    .filter(r -> r.what().equals(what))
                    .mapToDouble(Run::peakRssMib)
                    .max()
                    .orElse(Double.NaN);
            double[] starts = runs.stream()
                    .filter(r -> r.what().equals(what))
                    .mapToDouble(Run::startSeconds)
                    .sorted()
                    .toArray();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f s | %.2f s | %.2f s | %.1f | %s | %s |%n",
                    what.startsWith("cp") ? "`" + what + "`" : what,
                    median(s),
                    s[0],
                    s[s.length - 1],
                    median(s) / floor,
                    Double.isNaN(starts[0]) ? "" : String.format(Locale.ROOT, "%.2f s", median(starts)),
                    Double.isNaN(peak) ? "" : String.format(Locale.ROOT, "%.0f MiB", peak)));
        }
        return out.append('\n').append(HISTORY).toString();
    }

    private static double median(List<Run> runs, String what) {
        return median(runs.stream()
                .filter(r -> r.what().equals(what))
                .mapToDouble(Run::seconds)
                .sorted()
                .toArray());
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
