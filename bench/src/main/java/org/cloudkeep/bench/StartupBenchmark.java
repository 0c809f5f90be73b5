package org.cloudkeep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.cloudkeep.testing.Plugins;
import org.cloudkeep.testing.RuntimeProcess;

/**
 * Starts each runtime through {@code ./cloudkeep} as a user does, several times, and writes to
 * {@code docs/benchmarks.md} how long it takes to answer {@code /health}, how much memory it holds,
 * how fast a provider jar dropped into (and deleted from) the plugins folder shows in {@code /health},
 * and how long SIGTERM takes. Replaces only its own section of that file.
 */
public final class StartupBenchmark {

    /** Bounds, so that a broken runtime fails the run instead of hanging it; far above the targets. */
    private static final Duration START_BOUND = Duration.ofSeconds(60);

    private static final Duration CHANGE_BOUND = Duration.ofSeconds(30);
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(3);
    /** FileInstall's scan period (felix.fileinstall.poll in cnf/runtime.bndrun). */
    private static final long SCAN_MILLIS = 1000;

    /** The project's targets: first /health within 10 s, a hot install or uninstall visible within 5 s. */
    private static final double START_TARGET_SECONDS = 10;

    private static final double CHANGE_TARGET_SECONDS = 5;

    /** One start-to-stop cycle. Times in seconds, memory in MiB. */
    record Round(
            double startSeconds,
            double rssAtHealthMib,
            double rssIdleMib,
            double installSeconds,
            double uninstallSeconds,
            double stopSeconds,
            int exitCode) {}

    /** A table row: what it shows, how to read it off a round, its unit and its target (NaN for none). */
    private record Row(String label, ToDoubleFunction<Round> value, String unit, double target) {}

    private static final List<Row> ROWS = List.of(
            new Row("Start to first `/health` 200", Round::startSeconds, "s", START_TARGET_SECONDS),
            new Row("RSS at first `/health` 200", Round::rssAtHealthMib, "MiB", Double.NaN),
            new Row("RSS after " + IDLE.toSeconds() + " s idle", Round::rssIdleMib, "MiB", Double.NaN),
            new Row("Hot install visible in `/health`", Round::installSeconds, "s", CHANGE_TARGET_SECONDS),
            new Row("Uninstall visible in `/health`", Round::uninstallSeconds, "s", CHANGE_TARGET_SECONDS),
            new Row("Stop after SIGTERM", Round::stopSeconds, "s", Double.NaN));

    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(BenchmarksDoc.required("cloudkeep.launcher"));
        Path provider = Path.of(BenchmarksDoc.required("cloudkeep.provider.local.jar"));
        Path output = Path.of(BenchmarksDoc.required("bench.output"));
        int rounds = Integer.getInteger("bench.rounds", 5);
        if (rounds < 1) {
            throw new IllegalArgumentException("bench.rounds must be at least 1, not " + rounds);
        }

        // If this JVM is stopped from outside (Maven killed, Ctrl-C), no runtime it started is left running.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));

        // Other work on the machine slows the starts; the figures say how busy it was before the run.
        String load = BenchmarksDoc.loadAverage();
        StringBuilder tables = new StringBuilder();
        for (String runtime : List.of("cloud", "device")) {
            List<Round> results = new ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                Round round = round(launcher, provider, runtime);
                System.out.printf(Locale.ROOT, "bench: %s round %d/%d: %s%n", runtime, i, rounds, round);
                results.add(round);
            }
            tables.append(table(runtime, results));
        }
        BenchmarksDoc.replaceSection(output, "startup", section(rounds, load, tables.toString()));
    }

    /** Starts the runtime in a fresh data folder, measures, stops it, and deletes the folder. */
    static Round round(Path launcher, Path provider, String runtime) throws Exception {
        Path temp = Files.createTempDirectory("cloudkeep-bench-");
        try (RuntimeProcess process = RuntimeProcess.start(launcher, runtime, temp.resolve("data"))) {
            double start = seconds(process.awaitHealthy(START_BOUND).toNanos());
            double rssAtHealth = mib(process.residentBytes());
            Thread.sleep(IDLE.toMillis());
            double rssIdle = mib(process.residentBytes());

            // A user's drop lands anywhere in FileInstall's scan cycle; without this pause every round
            // would land at the same point of it, and so would its figure.
            Thread.sleep(ThreadLocalRandom.current().nextLong(SCAN_MILLIS));
            // The clock starts before the copy: the user's wait includes it.
            long t = System.nanoTime();
            Path installed = Plugins.drop(provider, process.plugins(), "cloudkeep.provider.local.jar");
            process.await(CHANGE_BOUND, "the local provider to show in /health", () -> process.providerIds()
                    .contains("local"));
            double install = secondsSince(t);

            Thread.sleep(ThreadLocalRandom.current().nextLong(SCAN_MILLIS));
            t = System.nanoTime();
            Files.delete(installed);
            process.await(CHANGE_BOUND, "the local provider to leave /health", () -> !process.providerIds()
                    .contains("local"));
            double uninstall = secondsSince(t);

            t = System.nanoTime();
            int exit = process.stop(STOP_BOUND);
            double stop = secondsSince(t);
            return new Round(start, rssAtHealth, rssIdle, install, uninstall, stop, exit);
        } finally {
            BenchmarksDoc.deleteTree(temp);
        }
    }

    static String table(String runtime, List<Round> rounds) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(runtime).append(" runtime\n\n");
        out.append("| Measure | Median | Min | Max | Target | Met (max) | Every round |\n");
        out.append("|---|---:|---:|---:|---|---|---|\n");
        for (Row row : ROWS) {
            double[] values = rounds.stream().mapToDouble(row.value()).sorted().toArray();
            double max = values[values.length - 1];
            boolean hasTarget = !Double.isNaN(row.target());
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s |%n",
                    row.label(),
                    format(median(values), row.unit()),
                    format(values[0], row.unit()),
                    format(max, row.unit()),
                    hasTarget ? String.format(Locale.ROOT, "≤ %.0f %s", row.target(), row.unit()) : "",
                    hasTarget ? (max <= row.target() ? "yes" : "**no**") : "",
                    rounds.stream()
                            .map(r -> number(row.value().applyAsDouble(r), row.unit()))
                            .collect(Collectors.joining(", "))));
        }
        // The launcher execs the JVM, so a clean SIGTERM stop ends with 128 + 15.
        String exits = rounds.stream().map(r -> String.valueOf(r.exitCode())).collect(Collectors.joining(", "));
        out.append("\nExit code after SIGTERM, per round: ")
                .append(exits)
                .append(
                        rounds.stream().allMatch(r -> r.exitCode() == 143)
                                ? " (143: a clean stop)."
                                : " (expected 143).")
                .append("\n\n");
        return out.toString();
    }

    static String section(int rounds, String load, String tables) throws Exception {
        return "## Runtime start, memory and hot install\n\n"
                + "Each runtime is started " + rounds
                + " times through `./cloudkeep <runtime> --port <free> --data <fresh"
                + " temporary folder>`, as a user starts it, so every start also creates a new Derby database."
                + " Per round:\n\n"
                + "- **start to first `/health` 200**: from starting the launcher (bash, then the JVM, Felix and the"
                + " bundles) to the first `GET /health` that answers 200;\n"
                + "- **RSS**: resident memory of the runtime's JVM (`VmRSS` in `/proc/<pid>/status`) right at that"
                + " first answer, and again after " + IDLE.toSeconds() + " s idle;\n"
                + "- **hot install**: from dropping the `local` provider's jar into the plugins folder (copy, then one"
                + " rename) to `/health` listing provider `local`; **uninstall**: from deleting the jar to `local`"
                + " gone from `/health`. FileInstall scans the folder every second (`cnf/runtime.bndrun`) and installs"
                + " a new jar only once two scans in a row see it unchanged, but removes a deleted one at the next"
                + " scan: by design an install waits 1 to 2 s and an uninstall up to 1 s, plus the bundle's own"
                + " start or stop. Each drop and delete waits a random part of a scan first, as a user's would;\n"
                + "- **stop**: from SIGTERM to the end of the process.\n\n"
                + "Conditions are polled every 50 ms, so a time can be up to about 50 ms late. The targets are the"
                + " project's: first `/health` within 10 s, a hot install or uninstall visible within 5 s; \"Met\""
                + " judges the worst round.\n\n"
                + "Rerun: `" + BenchmarksDoc.COMMAND + "` from the project root (`-Dbench.rounds=N` to change the "
                + rounds
                + " rounds).\n\n"
                + BenchmarksDoc.measuredOn(load) + "\n\n"
                + tables;
    }

    static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String format(double value, String unit) {
        return number(value, unit) + " " + unit;
    }

    private static String number(double value, String unit) {
        return String.format(Locale.ROOT, unit.equals("s") ? "%.2f" : "%.0f", value);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double secondsSince(long startNanos) {
        return seconds(System.nanoTime() - startNanos);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
