package org.cloudkeep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.testing.Api;
import org.cloudkeep.testing.Api.Answer;
import org.cloudkeep.testing.Plugins;
import org.cloudkeep.testing.RuntimeProcess;

/**
 * Starts the cloud runtime through {@code ./cloudkeep}, binds a user, a device, a {@code local}
 * account on a temporary folder and one container per way of reporting, waits for their first
 * traversals, then measures {@code POST /api/v1/device/reports} over loopback with one path per
 * report, as a device sends after each file: one client thread; four threads sharing each group of
 * one container; four threads each on a container of its own. Replaces its section of {@code
 * docs/benchmarks.md}.
 */
public final class ReportsBenchmark {

    static final int GROUP_SIZE = 1000;
    static final int THREADS = 4;
    /** The folders of the warm-up container: its reports are sent first and not counted. */
    static final int WARM_UP_FOLDERS = 20;
    /** Free space reported with every call: plenty, so the device stays ACTIVE. */
    static final long FREE_BYTES = 50L << 30;

    /** Bounds, so that a broken runtime fails the run instead of hanging it. */
    private static final Duration START = Duration.ofSeconds(60);

    private static final Duration PROVIDER = Duration.ofSeconds(30);
    private static final Duration TRAVERSALS = Duration.ofSeconds(600);
    private static final Duration ROUND = Duration.ofSeconds(600);
    private static final Duration STOP = Duration.ofSeconds(30);

    /** One report: one path of one group. */
    record Report(long containerId, int groupNo, String path) {}

    /** One way of reporting, measured: latencies in milliseconds. */
    record Result(String label, int threads, int containers, int reports, double seconds, double[] sortedMillis) {

        double perSecond() {
            return reports / seconds;
        }

        double percentile(double p) {
            // Nearest rank.
            int rank = (int) Math.ceil(p / 100 * sortedMillis.length);
            return sortedMillis[Math.max(0, rank - 1)];
        }
    }

    private final RuntimeProcess cloud;
    private final Api api;
    private final String session;
    private final String device;
    private final long deviceId;

    private ReportsBenchmark(RuntimeProcess cloud, Api api, String session, String device, long deviceId) {
        this.cloud = cloud;
        this.api = api;
        this.session = session;
        this.device = device;
        this.deviceId = deviceId;
    }

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(BenchmarksDoc.required("cloudkeep.launcher"));
        Path provider = Path.of(BenchmarksDoc.required("cloudkeep.provider.local.jar"));
        Path output = Path.of(BenchmarksDoc.required("bench.output"));
        int folders = Integer.getInteger("bench.reports.folders", 50);
        int files = Integer.getInteger("bench.reports.files", 100);

        // If this JVM is stopped from outside (Maven killed, Ctrl-C), the runtime it started is not left running.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));

        String load = BenchmarksDoc.loadAverage();
        Path temp = Files.createTempDirectory("cloudkeep-bench-reports-");
        try (RuntimeProcess cloud = RuntimeProcess.start(launcher, "cloud", temp.resolve("data"))) {
            cloud.awaitHealthy(START);
            Plugins.drop(provider, cloud.plugins(), "cloudkeep.provider.local.jar");
            cloud.await(PROVIDER, "the local provider in /health", () -> cloud.providerIds()
                    .contains("local"));
            ReportsBenchmark bench = signUp(cloud);

            Path drive = temp.resolve("drive");
            int quarter = Math.max(1, folders / THREADS);
            long account = bench.account(drive);
            long warmUp = bench.container(account, tree(drive, "warm-up", WARM_UP_FOLDERS, files));
            long one = bench.container(account, tree(drive, "one", folders, files));
            long split = bench.container(account, tree(drive, "split", folders, files));
            List<Long> own = new ArrayList<>();
            for (int i = 1; i <= THREADS; i++) {
                own.add(bench.container(account, tree(drive, "own-" + i, quarter, files)));
            }
            List<Long> all = new ArrayList<>(List.of(warmUp, one, split));
            all.addAll(own);
            bench.awaitTraversals(all);

            List<Result> results = new ArrayList<>();
            results.add(bench.drain("Warm-up, 2 threads (not a figure)", List.of(warmUp), 2));
            results.add(bench.drain("1 thread, 1 container", List.of(one), 1));
            results.add(bench.drain(THREADS + " threads sharing each group of 1 container", List.of(split), THREADS));
            results.add(bench.drain(THREADS + " threads, each on its own container", own, THREADS));
            for (long id : all) {
                bench.checkAllFetched(id);
            }
            String log = cloud.log();
            long warnings = log.lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .count();
            int exit = cloud.stop(STOP);
            String section = section(folders, files, quarter, load, results, warnings, exit);
            BenchmarksDoc.replaceSection(output, "reports", section);
        } finally {
            BenchmarksDoc.deleteTree(temp);
        }
    }

    /** A new user with a session and one device. */
    static ReportsBenchmark signUp(RuntimeProcess cloud) throws Exception {
        Api api = new Api(cloud.uri("/"));
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        Map<String, String> login = Map.of("username", name, "password", password);
        expect(201, api.post("/api/v1/users", null, login));
        String session = expect(200, api.post("/api/v1/sessions", null, login))
                .get("token")
                .asText();
        JsonNode device = expect(
                201, api.post("/api/v1/devices", session, Map.of("serial", "BENCH-" + name, "name", "bench device")));
        return new ReportsBenchmark(
                cloud,
                api,
                session,
                device.get("deviceToken").asText(),
                device.get("deviceId").asLong());
    }

    /** Writes {@code folders} × {@code files} small files under {@code drive/name}; answers the provider path. */
    static String tree(Path drive, String name, int folders, int files) throws Exception {
        for (int f = 0; f < folders; f++) {
            Path folder = Files.createDirectories(drive.resolve(name).resolve("d" + f));
            for (int i = 0; i < files; i++) {
                Files.writeString(folder.resolve("f" + i + ".txt"), name + " " + f + " " + i + "\n");
            }
        }
        return "/" + name;
    }

    long account(Path drive) throws Exception {
        Files.createDirectories(drive);
        Map<String, Object> body =
                Map.of("provider", "local", "label", "bench drive", "credentials", Map.of("root", drive.toString()));
        return expect(201, api.post("/api/v1/accounts", session, body))
                .get("accountId")
                .asLong();
    }

    long container(long account, String folder) throws Exception {
        Map<String, Object> body =
                Map.of("accountId", account, "deviceId", deviceId, "folders", List.of(folder), "groupSize", GROUP_SIZE);
        return expect(201, api.post("/api/v1/containers", session, body))
                .get("containerId")
                .asLong();
    }

    /** Waits until every container's first traversal is merged; fails on a failed one. */
    void awaitTraversals(List<Long> containers) throws Exception {
        long started = System.nanoTime();
        cloud.await(TRAVERSALS, "the first traversals of containers " + containers, () -> {
            try {
                for (long id : containers) {
                    JsonNode container = expect(200, api.get("/api/v1/containers/" + id, session));
                    if (container.get("state").asText().equals("FAILED")) {
                        throw new IllegalStateException("the traversal of container " + id + " failed: " + container);
                    }
                    if (container.get("lastTraversal").isNull()) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf(
                Locale.ROOT,
                "bench: first traversals of %d containers merged after %.1f s%n",
                containers.size(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Reports every entry of the containers, one path per call, on {@code threads} threads: group
     * by group, as {@code groups/next?all=true} hands them out. One container's group is dealt out
     * among the threads; groups of several containers go one to a thread. Only the reports are timed.
     */
    Result drain(String label, List<Long> containers, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<double[]> latencies = new ArrayList<>();
        long nanos = 0;
        int reports = 0;
        try {
            for (int round = 0; ; round++) {
                if (round > 10_000) {
                    throw new IllegalStateException("more than 10,000 rounds of groups for " + containers);
                }
                List<List<Report>> work = deal(nextGroups(containers), threads);
                if (work.isEmpty()) {
                    break;
                }
                long started = System.nanoTime();
                List<Future<double[]>> sent = new ArrayList<>();
                for (List<Report> share : work) {
                    sent.add(pool.submit(() -> send(share)));
                }
                for (Future<double[]> future : sent) {
                    latencies.add(future.get(ROUND.toSeconds(), TimeUnit.SECONDS));
                }
                nanos += System.nanoTime() - started;
                reports += work.stream().mapToInt(List::size).sum();
            }
        } finally {
            pool.shutdownNow();
        }
        double[] sorted =
                latencies.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        Result result = new Result(label, threads, containers.size(), reports, nanos / 1e9, sorted);
        System.out.printf(
                Locale.ROOT,
                "bench: %s: %d reports in %.1f s, %.0f/s, median %.2f ms, p99 %.2f ms%n",
                label,
                reports,
                result.seconds(),
                result.perSecond(),
                result.percentile(50),
                result.percentile(99));
        return result;
    }

    /** The first unfinished group of each of these containers that has one. */
    private List<JsonNode> nextGroups(List<Long> containers) throws Exception {
        Answer answer = api.post("/api/v1/device/groups/next?all=true", device, Map.of("freeBytes", FREE_BYTES));
        List<JsonNode> groups = new ArrayList<>();
        if (answer.status() == 204) {
            return groups;
        }
        for (JsonNode group : expect(200, answer)) {
            if (containers.contains(group.get("containerId").asLong())) {
                groups.add(group);
            }
        }
        return groups;
    }

    /** The groups' reports, in as many shares as there are threads (fewer when there is less work). */
    static List<List<Report>> deal(List<JsonNode> groups, int threads) {
        List<List<Report>> shares = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            shares.add(new ArrayList<>());
        }
        int n = 0;
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            for (JsonNode entry : group.get("entries")) {
                Report report = new Report(
                        group.get("containerId").asLong(),
                        group.get("groupNo").asInt(),
                        entry.get("path").asText());
                // One group: entry by entry, round robin; several: a group per thread.
                shares.get(groups.size() == 1 ? n++ % threads : g % threads).add(report);
            }
        }
        shares.removeIf(List::isEmpty);
        return shares;
    }

    /** Sends the reports one by one; answers each call's time in milliseconds. */
    private double[] send(List<Report> reports) throws Exception {
        double[] millis = new double[reports.size()];
        for (int i = 0; i < reports.size(); i++) {
            Report report = reports.get(i);
            Map<String, Object> body = Map.of(
                    "containerId",
                    report.containerId(),
                    "groupNo",
                    report.groupNo(),
                    "fetched",
                    List.of(report.path()),
                    "freeBytes",
                    FREE_BYTES);
            long started = System.nanoTime();
            Answer answer = api.post("/api/v1/device/reports", device, body);
            millis[i] = (System.nanoTime() - started) / 1e6;
            if (answer.status() != 200 || !answer.json().get("ok").asBoolean()) {
                throw new IllegalStateException("report of " + report + " answered " + answer);
            }
        }
        return millis;
    }

    /** Every file of the container is marked fetched: the reports did what they answered. */
    void checkAllFetched(long id) throws Exception {
        JsonNode container = expect(200, api.get("/api/v1/containers/" + id, session));
        if (container.get("files").asLong() == 0
                || container.get("fetchedFiles").asLong()
                        != container.get("files").asLong()) {
            throw new IllegalStateException("container " + id + " is not wholly fetched: " + container);
        }
    }

    static String section(
            int folders, int files, int quarter, String load, List<Result> results, long warnings, int exit)
            throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("## Device reports per second over loopback\n\n");
        out.append(String.format(
                Locale.ROOT,
                "The cloud runtime is started through `./cloudkeep cloud` as in the first section, with the `local`"
                        + " provider dropped into its plugins folder. The benchmark binds a user, a device and one"
                        + " `local` account on a temporary folder, and one container (groups of %,d) per way of"
                        + " reporting: %d folders × %,d small files (%,d entries with the folders) for the single"
                        + " thread and for the threads sharing a container, and %d containers of %d × %,d for the"
                        + " threads with a container each. Once every container's first traversal is merged (none runs"
                        + " during the measurement), it takes the groups with `POST /api/v1/device/groups/next?all=true`"
                        + " and sends `POST /api/v1/device/reports` with **one path per report**, as a device does after"
                        + " each file, until every entry is reported, over the JDK's `HttpClient` on 127.0.0.1. Each"
                        + " answer must be 200 with `ok: true`, and at the end every file must show as fetched.%n%n",
                GROUP_SIZE,
                folders,
                files,
                folders * (files + 1),
                THREADS,
                quarter,
                files));
        out.append("- **reports per second**: reports sent ÷ the time spent sending them (taking the next groups is"
                + " not timed). Threads share the work group by group and wait for each other at the end of each;\n"
                + "- **latency**: each call's time as the client sees it, from sending to the parsed answer;"
                + " median and 99th percentile (nearest rank) over every call;\n"
                + "- each report authenticates the device token (a read), records the device's free space in the"
                + " device's row (a commit of its own), then marks the path in a transaction that first locks the"
                + " container's row, the lock the merge holds (decision 0008): two commits per report, and the"
                + " reports of one device all write the same device row, whichever thread or container they are"
                + " for. The last row spreads the threads over containers of their own;\n"
                + "- the client threads, the runtime and its embedded Derby share the same CPUs.\n\n");
        out.append("Rerun: `")
                .append(BenchmarksDoc.COMMAND)
                .append("` runs every benchmark; this one alone, after building once with `-Dexec.skip=true`:"
                        + " `LC_ALL=C.UTF-8 mvn -B -Pbench -pl bench exec:exec@reports`"
                        + " (`-Dbench.reports.folders=N -Dbench.reports.files=N` change the size).\n\n");
        out.append(BenchmarksDoc.measuredOn(load)).append("\n\n");
        out.append("| Clients | Reports | Time | Reports per second | Median latency | p99 latency |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.1f s | %,.0f | %.2f ms | %.2f ms |%n",
                    r.label(),
                    r.reports(),
                    r.seconds(),
                    r.perSecond(),
                    r.percentile(50),
                    r.percentile(99)));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nThe runtime logged %d WARN or ERROR lines during the run (a 503 after a lock wait would be one)"
                        + " and exited with %d after SIGTERM (143: a clean stop).%n",
                warnings,
                exit));
        return out.toString();
    }

    /** The answer's JSON, when it has the expected status. */
    private static JsonNode expect(int status, Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer);
        }
        return status == 204 ? null : answer.json();
    }
}
