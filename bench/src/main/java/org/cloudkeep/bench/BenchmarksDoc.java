package org.cloudkeep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What every benchmark shares: its own section of {@code docs/benchmarks.md}, between {@code <!--
 * bench:NAME:begin -->} and {@code <!-- bench:NAME:end -->}, and the line that says where and when
 * it was measured.
 */
public final class BenchmarksDoc {

    /** Builds the modules and runs every benchmark; see the file's header for running one. */
    static final String COMMAND = "LC_ALL=C.UTF-8 mvn -B -Pbench -DskipTests package -pl bench -am";

    private BenchmarksDoc() {}

    /** Writes a benchmark's section between its markers, keeping the rest of the file (or creating it). */
    public static void replaceSection(Path output, String name, String section) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String block = begin + "\n" + section.stripTrailing() + "\n" + end;
        String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : header();
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + end.length());
        } else {
            text = text.stripTrailing() + "\n\n" + block + "\n";
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, text, StandardCharsets.UTF_8);
        System.out.println("bench: wrote section '" + name + "' of " + output.normalize());
    }

    private static String header() {
        return "# Benchmarks\n\n"
                + "Measured figures, not estimates. The benchmarks live in the `bench` module, which only the"
                + " `bench` Maven profile builds: `mvn verify` and the tests never build or run them. Run them all"
                + " from the project root with:\n\n"
                + "    " + COMMAND + "\n\n"
                + "or one of them (`startup`, `traversal`, `reports`, `device`, `webdav`, `connections`), each in a JVM of its own, after building once"
                + " without running any:\n\n"
                + "    mvn -B -Pbench -DskipTests install -pl bench -am -Dexec.skip=true\n"
                + "    LC_ALL=C.UTF-8 mvn -B -Pbench -pl bench exec:exec@traversal\n\n"
                + "Each benchmark rewrites only its own section, between its `<!-- bench:NAME:begin -->` and"
                + " `<!-- bench:NAME:end -->` markers, and keeps the rest of this file. Figures depend on the"
                + " machine, which each section names; compare runs on the same machine only.\n";
    }

    /** "Measured <date> on <machine>; load average <1 min> before the run." */
    public static String measuredOn(String load) throws Exception {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        return "Measured " + date + " on " + machine() + "; load average " + load + " before the run.";
    }

    /** The one-minute load average now: other work on the machine slows what is measured. */
    public static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** CPU count, CPU model, memory, OS and Java, so that figures from different machines are not mixed up. */
    static String machine() throws Exception {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String memoryGib = memory.isEmpty()
                ? "unknown memory"
                : String.format(
                        Locale.ROOT, "%.1f GiB RAM", Long.parseLong(memory.replaceAll("[^0-9]", "")) / 1048576.0);
        return firstLine("nproc") + " CPUs (nproc), " + (cpu.isEmpty() ? "unknown CPU" : cpu) + ", " + memoryGib
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", `"
                + firstLine("java", "-version") + "`";
    }

    /** The value of the first {@code key : value} line of a /proc file, or "" when there is none. */
    private static String firstValue(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            return "";
        }
        return Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(key))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("");
    }

    /** The first line a short command prints (java -version prints to stderr), bounded to 10 s. */
    static String firstLine(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                return "unknown";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // Skip JVM notices such as "Picked up JAVA_TOOL_OPTIONS".
            return output.lines()
                    .filter(line -> !line.startsWith("Picked up"))
                    .findFirst()
                    .orElse("unknown")
                    .trim();
        } finally {
            process.destroyForcibly();
        }
    }

    /** A system property the bench module's pom passes. */
    public static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("set -D" + property + " (the bench module's pom passes it)");
        }
        return value;
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
