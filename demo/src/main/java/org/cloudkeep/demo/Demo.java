package org.cloudkeep.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.cloudkeep.demo.SampleAccounts.Account;
import org.cloudkeep.demo.SampleAccounts.Changes;

/**
 * {@code ./cloudkeep demo}: the whole backup job on the embedded default, with no configuration. Starts a cloud and a
 * device through the launcher on free loopback ports, backs up two sample accounts with a progress bar, verifies the
 * backup byte for byte, changes one account, shows that only what changed is fetched again, verifies again, stops
 * both runtimes and exits 0; any failure exits 1 with the reason and the tail of the log that explains it.
 */
public final class Demo {

    static final String USAGE = "usage: java -jar cloudkeep-demo.jar --launcher <cloudkeep script> "
            + "--provider <local provider jar> --work <folder, wiped first>";

    static final Duration START = Duration.ofSeconds(120);
    static final Duration TRAVERSAL = Duration.ofSeconds(120);
    /** The longest a backup may take; {@code -Dcloudkeep.demo.backupSeconds=N} changes it. */
    static final Duration BACKUP = Duration.ofSeconds(Long.getLong("cloudkeep.demo.backupSeconds", 300));
    /** The longest the device may leave {@code GET /api/v1/status} unanswered while it should be fetching. */
    static final Duration SILENT_DEVICE = Duration.ofSeconds(30);

    static final Duration STOP = Duration.ofSeconds(30);
    static final Duration INACTIVE_GRACE = Duration.ofSeconds(15);
    /** The cloud's default free-space threshold (cloudkeep.groups minFreeBytes), and room for the demo's files. */
    static final long NEEDED_FREE = (1L << 30) + 300_000_000L;

    static final int GROUP_SIZE = 50;
    static final String USER = "demo";
    /** Marks a work folder as the demo's own, so that it is never wiped when it is something else. */
    static final String MARKER = ".cloudkeep-demo";

    private final Path launcher;
    private final Path providerJar;
    private final Path work;
    private final Path backupRoot;
    private final PrintStream out;
    private final ProgressBar bar;
    private final long startedNanos = System.nanoTime();
    private int step;

    private volatile LaunchedRuntime cloud;
    private volatile LaunchedRuntime device;
    private volatile boolean done;
    private volatile boolean interruptedByUser;

    /** A sample account bound as a container. */
    record Container(Account account, long accountId, long id) {
        String name() {
            return account.name();
        }
    }

    Demo(Path launcher, Path providerJar, Path work, PrintStream out, boolean terminal) {
        this.launcher = launcher;
        this.providerJar = providerJar;
        this.work = work;
        this.backupRoot = work.resolve("backup");
        this.out = out;
        this.bar = new ProgressBar(out, terminal);
    }

    public static void main(String[] args) {
        Path launcher = null;
        Path provider = null;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length
                    || !List.of("--launcher", "--provider", "--work").contains(flag)) {
                System.err.println("cloudkeep demo: unexpected argument '" + flag + "'\n" + USAGE);
                System.exit(2);
            }
            Path value = Path.of(args[++i]).toAbsolutePath().normalize();
            switch (flag) {
                case "--launcher" -> launcher = value;
                case "--provider" -> provider = value;
                default -> work = value;
            }
        }
        if (launcher == null || provider == null || work == null) {
            System.err.println("cloudkeep demo: --launcher, --provider and --work are all needed\n" + USAGE);
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(new Demo(launcher, provider, work, out, System.console() != null).run());
    }

    /** Runs the demo; answers the exit code. */
    int run() {
        Thread hook = new Thread(this::interrupted, "cloudkeep-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            steps();
            done = true;
            return 0;
        } catch (DemoFailure failure) {
            fail(failure.getMessage(), failure.logs());
            return 1;
        } catch (IOException | RuntimeException e) {
            fail(e.toString(), cloud == null ? List.of() : List.of(cloud.log()));
            return 1;
        } finally {
            done = true;
            stopAll();
        }
    }

    private void steps() throws IOException {
        checkEnvironment();
        say("CloudKeep demo: a private cloud and a home device on this machine back up two sample accounts.");
        say("Work folder: " + work + " (wiped at the start of every demo run)");
        prepareWork();

        step("Sample accounts");
        Account photos = SampleAccounts.photos(work.resolve("accounts/photos"));
        Account documents = SampleAccounts.documents(work.resolve("accounts/documents"));
        say(
                "   photos     %d files, %s (%d empty)  %s",
                photos.files().size(), Text.mb(photos.bytes()), photos.empty(), photos.root());
        say(
                "   documents  %d files, %s in nested folders  %s",
                documents.files().size(), Text.mb(documents.bytes()), documents.root());
        say("   awkward names among the documents: %s", awkwardNames());

        step("Cloud runtime");
        int cloudPort = LaunchedRuntime.freePort();
        cloud = LaunchedRuntime.start(
                launcher,
                "cloud",
                cloudPort,
                work.resolve("cloud"),
                work.resolve("cloud.log"),
                providerJar,
                List.of(),
                Map.of());
        Duration cloudUp = cloud.awaitReady(START);
        say(
                "   running on %s after %s, local provider installed (log: %s)",
                cloud.http().base(), Text.seconds(cloudUp), cloud.log());
        Http api = cloud.http();
        String password = secret();
        api.call("POST", "/api/v1/users", null, Map.of("username", USER, "password", password), 201);
        String token = api.call("POST", "/api/v1/sessions", null, Map.of("username", USER, "password", password), 200)
                .path("token")
                .asText();
        String serial = "DEMO-" + HexFormat.of().withUpperCase().formatHex(randomBytes(3));
        JsonNode bound =
                api.call("POST", "/api/v1/devices", token, Map.of("serial", serial, "name", "demo device"), 201);
        long deviceId = bound.path("deviceId").asLong();
        String deviceToken = bound.path("deviceToken").asText();
        say("   user \"%s\" signed in, device %s bound (id %d)", USER, serial, deviceId);
        List<Container> containers = new ArrayList<>();
        for (Account account : List.of(photos, documents)) {
            long accountId = api.call(
                            "POST",
                            "/api/v1/accounts",
                            token,
                            Map.of(
                                    "provider",
                                    "local",
                                    "label",
                                    account.name(),
                                    "credentials",
                                    Map.of("root", account.root().toString())),
                            201)
                    .path("accountId")
                    .asLong();
            long containerId = api.call(
                            "POST",
                            "/api/v1/containers",
                            token,
                            Map.of(
                                    "accountId",
                                    accountId,
                                    "deviceId",
                                    deviceId,
                                    "folders",
                                    List.of("/"),
                                    "groupSize",
                                    GROUP_SIZE),
                            201)
                    .path("containerId")
                    .asLong();
            containers.add(new Container(account, accountId, containerId));
        }
        say(
                "   accounts photos and documents (provider local) bound as containers %d and %d, in task groups of %d",
                containers.get(0).id(), containers.get(1).id(), GROUP_SIZE);
        for (Container c : containers) {
            JsonNode listed = awaitTraversal(api, token, c, null);
            say(
                    "   listed %-10s %d files, %s in %d task groups",
                    c.name(),
                    listed.path("files").asLong(),
                    Text.mb(listed.path("bytes").asLong()),
                    listed.path("groups").asLong());
        }

        step("Device runtime");
        int devicePort = LaunchedRuntime.freePort(cloudPort);
        // The demo has no time to lose: ask again every 2 s when there is nothing to fetch (default 15 s).
        writeConfig(work.resolve("device"), "cloudkeep.fetcher", "idleSeconds=2");
        device = LaunchedRuntime.start(
                launcher,
                "device",
                devicePort,
                work.resolve("device"),
                work.resolve("device.log"),
                providerJar,
                List.of("--cloud", cloud.http().base().toString(), "--backup-root", backupRoot.toString()),
                // The token by the environment rather than --token, which every local user could read in ps.
                Map.of("CLOUDKEEP_DEVICE_TOKEN", deviceToken));
        Duration deviceUp = device.awaitReady(START);
        say(
                "   running on %s after %s, backing up into %s (log: %s)",
                device.http().base(), Text.seconds(deviceUp), backupRoot, device.log());

        step("Backup");
        long backupStarted = System.nanoTime();
        Totals first = awaitFetched(api, token, containers, "the backup");
        Duration backupTime = Duration.ofNanos(System.nanoTime() - backupStarted);
        JsonNode status = deviceStatus();
        long downloadedFirst =
                status == null ? -1 : status.path("downloadedFiles").asLong(-1);
        say(
                "   done: %d files, %s in %s (%s)%s",
                first.files(),
                Text.mb(first.bytes()),
                Text.seconds(backupTime),
                Text.rate(first.bytes() / Math.max(0.001, backupTime.toNanos() / 1e9)),
                downloadedFirst < 0 ? "" : "; the device downloaded " + downloadedFirst + " files");

        step("Byte-for-byte verification");
        long verifiedFiles = 0;
        long verifiedBytes = 0;
        for (Container c : containers) {
            BackupFolder folder = BackupFolder.read(containerFolder(c));
            BackupFolder.Verified verified = folder.verify(c.account().root());
            verifiedFiles += verified.files();
            verifiedBytes += verified.bytes();
            say(
                    "   %-10s %d files, %s identical in %s%s",
                    c.name(),
                    verified.files(),
                    Text.mb(verified.bytes()),
                    folder.folder(),
                    verified.renamed() == 0
                            ? ""
                            : " (" + verified.renamed() + " under encoded names, listed in " + BackupFolder.MANIFEST
                                    + ")");
        }
        say("   verified: %d files, %s, every byte the same as in the accounts", verifiedFiles, Text.mb(verifiedBytes));

        step("A change in documents, and a re-traversal");
        Container docs = containers.get(1);
        Changes changes = SampleAccounts.change(documents);
        say(
                "   in %s: %d files changed, %d added, %d deleted",
                documents.root(),
                changes.changed().size(),
                changes.added().size(),
                changes.deleted().size());
        long downloadedBefore = downloadedFiles();
        String before = api.call("GET", "/api/v1/containers/" + docs.id(), token, null, 200)
                .path("lastTraversal")
                .path("finishedAt")
                .asText();
        api.call("POST", "/api/v1/containers/" + docs.id() + "/traversals", token, null, 202);
        JsonNode traversal = awaitTraversal(api, token, docs, before).path("lastTraversal");
        say(
                "   re-traversal of documents: %d added, %d changed, %d removed, %d unchanged (files and folders)",
                traversal.path("added").asLong(),
                traversal.path("changed").asLong(),
                traversal.path("removed").asLong(),
                traversal.path("unchanged").asLong());
        long refetchStarted = System.nanoTime();
        Totals second = awaitFetched(api, token, List.of(docs), "the second backup of documents");
        int expected = changes.changed().size() + changes.added().size();
        long downloadedAgain = awaitDownloaded(downloadedBefore, expected);
        if (downloadedAgain != expected) {
            throw new DemoFailure(
                    "after the change the device downloaded " + downloadedAgain + " files again, not " + expected
                            + " (the " + changes.changed().size() + " changed and the "
                            + changes.added().size()
                            + " new ones)",
                    device.log(),
                    cloud.log());
        }
        say(
                "   fetched again in %s: only %d files, the %d changed and the %d new; the other %d documents and"
                        + " the %d photos were not downloaded again",
                Text.seconds(Duration.ofNanos(System.nanoTime() - refetchStarted)),
                downloadedAgain,
                changes.changed().size(),
                changes.added().size(),
                second.files() - downloadedAgain,
                photos.files().size());

        BackupFolder docsBackup = BackupFolder.read(containerFolder(docs));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> deleted : changes.deleted().entrySet()) {
            Path copy = docsBackup.file(deleted.getKey());
            if (!Files.isRegularFile(copy) || !SampleAccounts.sha256(copy).equals(deleted.getValue())) {
                problems.add(Text.quoted(deleted.getKey()) + " was deleted from documents and is gone from the "
                        + "backup too (" + copy + ")");
            }
        }
        List<Path> versions = new ArrayList<>();
        for (Map.Entry<String, String> changed : changes.changed().entrySet()) {
            Path kept = null;
            for (Path version : docsBackup.versions(changed.getKey())) {
                if (SampleAccounts.sha256(version).equals(changed.getValue())) {
                    kept = version;
                }
            }
            if (kept == null) {
                problems.add("the earlier copy of " + Text.quoted(changed.getKey()) + " is not kept under "
                        + docsBackup.folder().resolve(BackupFolder.VERSIONS) + " (found: "
                        + docsBackup.versions(changed.getKey()) + ")");
            } else {
                versions.add(kept);
            }
        }
        if (!problems.isEmpty()) {
            throw new DemoFailure(String.join("\n    ", problems), device.log());
        }
        say(
                "   the %d files deleted from documents are still in the backup",
                changes.deleted().size());
        say(
                "   the earlier copies of the %d changed files are kept:",
                changes.changed().size());
        for (Path version : versions) {
            say("     %s", docsBackup.folder().relativize(version));
        }
        BackupFolder.Verified again = docsBackup.verify(documents.root());
        say(
                "   verified again: %d files, %s identical to the changed documents",
                again.files(), Text.mb(again.bytes()));

        step("Stop");
        int cloudExit = cloud.stop(STOP);
        int deviceExit = device.stop(STOP);
        say("   device and cloud stopped with SIGTERM (exit codes %d and %d)", deviceExit, cloudExit);

        say("");
        say("Summary");
        say(
                "   backed up   %d files, %s from 2 accounts in %s; after the change %d files fetched again",
                first.files(), Text.mb(first.bytes()), Text.seconds(backupTime), downloadedAgain);
        say("   verified    byte for byte, after the first backup and after the change");
        say(
                "   backup      %s (photos in %s/, documents in %s/)",
                backupRoot, containers.get(0).id(), docs.id());
        say("   logs        %s, %s", cloud.log(), device.log());
        say("   total time  %s", Text.seconds(Duration.ofNanos(System.nanoTime() - startedNanos)));
        say("Demo finished: everything backed up and verified.");
    }

    // ---- waiting -----------------------------------------------------------------------------------------------

    /** Waits until a container's last traversal is another than {@code before}; answers the container. */
    private JsonNode awaitTraversal(Http api, String token, Container c, String before) {
        long deadline = System.nanoTime() + TRAVERSAL.toNanos();
        while (true) {
            cloud.checkAlive();
            JsonNode state = api.call("GET", "/api/v1/containers/" + c.id(), token, null, 200);
            JsonNode last = state.path("lastTraversal");
            if ("FAILED".equals(state.path("state").asText())) {
                throw new DemoFailure(
                        "the traversal of " + c.name() + " failed: "
                                + state.path("lastError").asText("(no reason)"),
                        cloud.log());
            }
            if (last.isObject()
                    && !last.path("finishedAt").asText().equals(before)
                    && "READY".equals(state.path("state").asText())) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new DemoFailure(
                        "the cloud did not finish listing " + c.name() + " within " + TRAVERSAL.toSeconds()
                                + " s (state " + state.path("state").asText() + ")",
                        cloud.log());
            }
            Http.sleep(Duration.ofMillis(200));
        }
    }

    /** Files and bytes of containers, as the cloud counts them. */
    record Totals(long files, long bytes, long fetchedFiles, long fetchedBytes) {}

    /** Draws the progress bar until every container is READY and its files are all fetched; bounded. */
    private Totals awaitFetched(Http api, String token, List<Container> containers, String what) {
        long started = System.nanoTime();
        long deadline = started + BACKUP.toNanos();
        long inactiveSince = 0;
        long silentSince = 0;
        boolean idleShown = false;
        Totals startTotals = null;
        while (true) {
            cloud.checkAlive();
            device.checkAlive();
            long files = 0;
            long bytes = 0;
            long fetchedFiles = 0;
            long fetchedBytes = 0;
            boolean finished = true;
            List<String> missing = new ArrayList<>();
            for (Container c : containers) {
                JsonNode state = api.call("GET", "/api/v1/containers/" + c.id(), token, null, 200);
                long f = state.path("files").asLong();
                long ff = state.path("fetchedFiles").asLong();
                files += f;
                bytes += state.path("bytes").asLong();
                fetchedFiles += ff;
                fetchedBytes += state.path("fetchedBytes").asLong();
                String s = state.path("state").asText();
                if (!"READY".equals(s) || ff != f) {
                    finished = false;
                    missing.add(
                            c.name() + " (container " + c.id() + ", " + s + "): " + ff + " of " + f + " files fetched");
                }
            }
            Totals totals = new Totals(files, bytes, fetchedFiles, fetchedBytes);
            if (startTotals == null) {
                startTotals = totals;
            }
            JsonNode status = deviceStatus();
            double elapsed = Math.max(0.001, (System.nanoTime() - started) / 1e9);
            double rate = status != null && status.path("bytesPerSecond").isNumber()
                    ? status.path("bytesPerSecond").asDouble()
                    : (fetchedBytes - startTotals.fetchedBytes()) / elapsed;
            String line = ProgressBar.line(fetchedFiles, files, fetchedBytes, bytes, rate);
            if (finished) {
                bar.finish(line);
                return totals;
            }
            if (!idleShown
                    && status != null
                    && "IDLE".equals(status.path("activity").asText())) {
                // Waiting for the device's next question to the cloud: say why nothing moves.
                idleShown = true;
                say("   the device says: %s", status.path("message").asText("idle"));
            }
            bar.show(line);
            silentSince = status != null ? 0 : silentSince == 0 ? System.nanoTime() : silentSince;
            if (silentSince != 0 && System.nanoTime() - silentSince > SILENT_DEVICE.toNanos()) {
                bar.interrupt();
                throw new DemoFailure(
                        "the device runtime has not answered GET "
                                + device.http().base() + "/api/v1/status for "
                                + SILENT_DEVICE.toSeconds() + " s: is it an old build without the fetcher? (rebuild it"
                                + " with mvn install -pl runtime-device -am)",
                        device.log());
            }
            if (status != null && "INACTIVE".equals(status.path("state").asText())) {
                inactiveSince = inactiveSince == 0 ? System.nanoTime() : inactiveSince;
                if (System.nanoTime() - inactiveSince > INACTIVE_GRACE.toNanos()) {
                    bar.interrupt();
                    throw new DemoFailure(
                            "the device stopped fetching (INACTIVE): it reports "
                                    + Text.mb(status.path("freeBytes").asLong())
                                    + " free, the cloud wants at least 1 GiB"
                                    + " (cloudkeep.groups minFreeBytes); free some space under " + backupRoot,
                            device.log());
                }
            } else {
                inactiveSince = 0;
            }
            if (System.nanoTime() > deadline) {
                bar.interrupt();
                throw new DemoFailure(
                        what + " did not finish within " + BACKUP.toSeconds() + " s:\n    "
                                + String.join("\n    ", missing) + "\n    device: " + describe(status)
                                + "\n    see the logs " + device.log() + " and " + cloud.log(),
                        device.log(),
                        cloud.log());
            }
            Http.sleep(Duration.ofMillis(bar.terminal() ? 200 : 250));
        }
    }

    /**
     * Waits a little for the device's download counter to reach {@code before + expected} (it may count a file a
     * moment after the cloud does), then a moment more to catch any extra download; answers how many it downloaded.
     */
    private long awaitDownloaded(long before, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (downloadedFiles() - before < expected && System.nanoTime() < deadline) {
            Http.sleep(Duration.ofMillis(100));
        }
        Http.sleep(Duration.ofSeconds(1));
        return downloadedFiles() - before;
    }

    /** The device's count of files downloaded from providers since it started. */
    private long downloadedFiles() {
        JsonNode status = deviceStatus();
        if (status == null || !status.path("downloadedFiles").isNumber()) {
            throw new DemoFailure(
                    "the device's GET /api/v1/status does not say how many files it downloaded: " + describe(status),
                    device.log());
        }
        return status.path("downloadedFiles").asLong();
    }

    /** {@code GET /api/v1/status} of the device, or {@code null} when it does not answer. */
    private JsonNode deviceStatus() {
        return device.http().probe("/api/v1/status");
    }

    /** Where the device keeps a container: as its status says, else {@code <backup root>/<container id>}. */
    private Path containerFolder(Container c) {
        JsonNode status = deviceStatus();
        if (status != null) {
            for (JsonNode entry : status.path("containers")) {
                if (entry.path("containerId").asLong() == c.id() && entry.hasNonNull("folder")) {
                    return Path.of(entry.get("folder").asText());
                }
            }
        }
        return backupRoot.resolve(String.valueOf(c.id()));
    }

    private static String describe(JsonNode status) {
        if (status == null) {
            return "GET /api/v1/status did not answer";
        }
        StringBuilder text = new StringBuilder(status.path("state").asText("?"));
        if (status.hasNonNull("activity")) {
            text.append(", ").append(status.get("activity").asText());
        }
        if (status.hasNonNull("message")) {
            text.append(": ").append(status.get("message").asText());
        }
        for (JsonNode c : status.path("containers")) {
            text.append("\n      container ")
                    .append(c.path("containerId").asText("?"))
                    .append(' ')
                    .append(c.path("status").asText("?"));
            if (c.hasNonNull("message")) {
                text.append(": ").append(c.get("message").asText());
            }
        }
        return text.toString();
    }

    // ---- set-up and tear-down ----------------------------------------------------------------------------------

    private void checkEnvironment() throws IOException {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
            throw new DemoFailure("this Java runtime reads file names as " + encoding + ", so the sample names "
                    + "cannot be written; run it with a UTF-8 locale, for instance LC_ALL=C.UTF-8 (./cloudkeep demo "
                    + "sets it)");
        }
        if (!Files.isRegularFile(launcher)) {
            throw new DemoFailure("the launcher " + launcher + " does not exist");
        }
        if (!Files.isRegularFile(providerJar)) {
            throw new DemoFailure("the local provider jar " + providerJar + " does not exist; build it with "
                    + "mvn install -pl providers/local");
        }
        Path existing = work;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            long free = Files.getFileStore(existing).getUsableSpace();
            if (free < NEEDED_FREE) {
                throw new DemoFailure("only " + Text.mb(free) + " are free under " + existing + "; the demo needs "
                        + Text.mb(NEEDED_FREE) + " (the device stops fetching below 1 GiB free)");
            }
        }
    }

    /** Wipes the work folder, but only when it is empty or the demo's own. */
    private void prepareWork() throws IOException {
        if (Files.isDirectory(work) && !Files.exists(work.resolve(MARKER))) {
            try (Stream<Path> children = Files.list(work)) {
                if (children.findAny().isPresent()) {
                    throw new DemoFailure(work + " holds files that are not the demo's; move them away or run the "
                            + "demo in another folder");
                }
            }
        }
        if (Files.exists(work)) {
            Files.walkFileTree(work, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(MARKER), "Made by ./cloudkeep demo, which wipes this folder when it starts.\n");
    }

    private void stopAll() {
        for (LaunchedRuntime runtime : new LaunchedRuntime[] {device, cloud}) {
            if (runtime != null) {
                runtime.stop(STOP);
            }
        }
    }

    /** The shutdown hook: on Ctrl-C (or a kill) the runtimes are stopped too. */
    private void interrupted() {
        if (!done) {
            interruptedByUser = true;
            bar.interrupt();
            System.err.println("cloudkeep demo: interrupted; stopping the runtimes...");
        }
        stopAll();
    }

    /** Stops whatever runs, then says why the demo failed, with the last lines of the logs that tell more. */
    private void fail(String reason, List<Path> logs) {
        bar.interrupt();
        boolean started = cloud != null;
        // The logs' last lines as they were when it failed, before the runtimes log their stopping.
        Map<Path, List<String>> tails = new LinkedHashMap<>();
        logs.forEach(log -> tails.put(log, Text.tail(log, 25)));
        stopAll();
        if (interruptedByUser) {
            return; // Ctrl-C: what failed after it is only the runtimes going away
        }
        out.flush();
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        err.println();
        err.println("demo failed: " + reason);
        tails.forEach((log, lines) -> {
            err.println("--- last lines of " + log + " ---");
            lines.forEach(line -> err.println("  " + line));
        });
        if (started) {
            err.println("(both runtimes are stopped; the demo's files and logs are kept in " + work + ")");
        }
    }

    // ---- output ------------------------------------------------------------------------------------------------

    /** Writes {@code <data>/config/<pid>.cfg}, which the runtime reads at start (decision 0012). */
    private static void writeConfig(Path data, String pid, String... lines) {
        try {
            Path config = Files.createDirectories(data.resolve("config"));
            Files.write(config.resolve(pid + ".cfg"), List.of(lines), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoFailure("cannot write the " + pid + " configuration: " + e.getMessage(), e);
        }
    }

    private void step(String title) {
        bar.interrupt();
        out.println();
        out.println(++step + ". " + title);
    }

    private void say(String format, Object... args) {
        bar.interrupt();
        out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }

    private static String awkwardNames() {
        List<String> shown = new ArrayList<>();
        for (String name : SampleAccounts.AWKWARD) {
            String last = name.substring(name.lastIndexOf('/') + 1);
            int bytes = last.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > 100) {
                shown.add("a " + bytes + "-byte name");
            } else if (!last.equals(java.text.Normalizer.normalize(last, java.text.Normalizer.Form.NFC))) {
                shown.add(Text.quoted(name) + " (NFD)");
            } else if (!last.chars().allMatch(c -> c < 128)
                    && SampleAccounts.AWKWARD.stream()
                            .anyMatch(other -> !other.equals(name)
                                    && java.text.Normalizer.normalize(other, java.text.Normalizer.Form.NFC)
                                            .equals(name))) {
                shown.add(Text.quoted(name) + " (NFC)");
            } else {
                shown.add(Text.quoted(name.startsWith(".") ? name.substring(0, name.indexOf('/') + 1) : name));
            }
        }
        return String.join(", ", shown);
    }

    /** A random password of 16 characters. */
    private static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(12));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
