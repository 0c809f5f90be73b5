package org.cloudkeep.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One group run against a provider that fails on purpose, a real device database, a real backup
 * folder and a loopback HTTP server standing in for the cloud's report call: what each kind of
 * provider error does to the files, the reports and the container's status.
 */
class GroupRunTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private TestDatabase database;
    private HttpServer cloud;
    private final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    /** What the provider does per path: the failures it throws first, in order, then the bytes. */
    private final Map<String, List<ProviderException>> failures = new HashMap<>();

    private final Map<String, Integer> opens = Collections.synchronizedMap(new HashMap<>());
    /** The provider installed now, as the registry answers it; null when uninstalled. */
    private final AtomicReference<CloudDriveProvider> installed = new AtomicReference<>(new FailingProvider());
    /** Paths whose download uninstalls the provider after the first bytes (once). */
    private final Set<String> uninstallDuring = ConcurrentHashMap.newKeySet();
    /** Paths whose download uninstalls the provider and then fails as a closing bundle does. */
    private final Set<String> uninstallAndBreak = ConcurrentHashMap.newKeySet();

    private Wire.Group lastGroup;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.device(dir);
        cloud = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloud.createContext("/", exchange -> {
            reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"ok\": true, \"state\": \"ACTIVE\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        cloud.start();
    }

    @AfterEach
    void stop() {
        cloud.stop(0);
        database.close();
    }

    @Test
    void aRateLimitIsWaitedOutAndIsNotAFailure() throws Exception {
        failures.put("/a", List.of(new RateLimitedException("slow down", Duration.ofMillis(50))));
        Context context = context(1); // one attempt per file: a counted failure would give up

        assertEquals(GroupRun.End.DONE, run(context, "/a"));

        assertEquals("bytes of /a", Files.readString(dir.resolve("backup/7/a")));
        assertEquals(2, opens.get("/a"));
        assertTrue(reports.get(0).contains("\"fetched\":[\"/a\"]"), reports.toString());
    }

    @Test
    void transientFailuresAreRetriedThenGivenUpForTheRound() throws Exception {
        failures.put("/flaky", List.of(new TransientProviderException("reset")));
        failures.put("/broken", List.of(new TransientProviderException("1"), new TransientProviderException("2")));
        Context context = context(2);

        GroupRun.End end = run(context, "/flaky", "/broken");

        assertEquals(GroupRun.End.DONE, end);
        assertEquals("bytes of /flaky", Files.readString(dir.resolve("backup/7/flaky")));
        assertFalse(Files.exists(dir.resolve("backup/7/broken")), "given up after 2 attempts");
        assertEquals(2, opens.get("/broken"));
        String reported = String.join("\n", reports);
        assertTrue(reported.contains("/flaky") && !reported.contains("/broken"), reported);
    }

    @Test
    void refusedCredentialsBlockTheContainerWithTheReason() throws Exception {
        failures.put("/a", List.of(new BadCredentialsException("token expired")));
        Context context = context(3);

        GroupRun.End end = run(context, "/a");

        assertEquals(GroupRun.End.BLOCKED, end);
        Progress.Container container = context.progress().container(7);
        assertEquals("BLOCKED", container.status());
        assertTrue(container.message().contains("token expired"), container.message());
        assertTrue(context.blocks().blocked(group(0)).isPresent(), "the container waits");
        assertEquals(List.of(), reports);
    }

    @Test
    void aFileGoneAtTheProviderIsReportedMissing() throws Exception {
        failures.put("/gone", List.of(new NotFoundException("no such file")));
        Context context = context(3);

        assertEquals(GroupRun.End.DONE, run(context, "/gone", "/here"));

        String reported = String.join("\n", reports);
        assertTrue(reported.contains("\"fetched\":[\"/here\"]"), reported);
        assertTrue(reported.contains("\"missing\":[\"/gone\"]"), reported);
        assertEquals(List.of(), new HeldGroups(database).wanted(7, "", 10), "both are done for this group");
    }

    @Test
    void aProviderUninstalledMidDownloadBlocksTheContainerAndNothingIsReportedUntilItIsBack() throws Exception {
        uninstallDuring.add("/big");
        Context context = context(3);

        assertEquals(GroupRun.End.BLOCKED, run(context, "/big"));

        assertFalse(Files.exists(dir.resolve("backup/7/big")), "no file under its final name");
        assertEquals(List.of(), reports, "nothing reported fetched");
        Progress.Container container = context.progress().container(7);
        assertEquals("BLOCKED", container.status());
        assertTrue(container.message().contains("'failing' was uninstalled"), container.message());
        assertTrue(context.blocks().blocked(lastGroup).isPresent(), "the container waits for the provider");

        installed.set(new FailingProvider()); // the bundle is back: a new instance
        assertTrue(context.blocks().blocked(lastGroup).isEmpty(), "the block ends when it is installed");
        assertEquals(GroupRun.End.DONE, runAgain(context));
        assertEquals("bytes of /big", Files.readString(dir.resolve("backup/7/big")));
        assertTrue(String.join("\n", reports).contains("\"fetched\":[\"/big\"]"), reports.toString());
    }

    @Test
    void aProviderThatBreaksWhileItIsUninstalledIsTakenAsLeavingNotAsABrokenFile() throws Exception {
        uninstallAndBreak.add("/big");
        Context context = context(3);

        assertEquals(GroupRun.End.BLOCKED, run(context, "/big"));

        assertEquals(1, opens.get("/big"), "not retried against a provider that is gone");
        assertEquals(List.of(), reports);
        assertTrue(context.progress().container(7).message().contains("was uninstalled"));
    }

    private GroupRun.End run(Context context, String... paths) throws Exception {
        HeldGroups held = context.held();
        Wire.Group group;
        try (HeldGroups.IncomingWriter writer = held.incoming()) {
            long receipt = writer.open();
            for (String path : paths) {
                writer.add(receipt, new Wire.Entry(path, bytes(path).length, T, null, false));
            }
            writer.close(receipt);
            group = group(receipt);
        }
        held.adopt(group);
        lastGroup = group;
        return runAgain(context);
    }

    /** Runs the last group again, as the fetch loop does in its next round. */
    private GroupRun.End runAgain(Context context) throws Exception {
        GroupRun run = GroupRun.start(context, lastGroup);
        for (HeldEntry entry; (entry = run.next()) != null; ) {
            run.fetch(entry);
        }
        return run.close();
    }

    private static Wire.Group group(long receipt) {
        return new Wire.Group(7, 1, "failing", Map.of("key", "k"), receipt);
    }

    private Context context(int attemptsPerFile) throws IOException {
        Path free = Files.writeString(dir.resolve("free"), String.valueOf(1L << 40));
        Path root = dir.resolve("backup");
        Settings settings = new Settings(
                Optional.of(URI.create("http://127.0.0.1:" + cloud.getAddress().getPort())),
                Optional.of("token"),
                root,
                false,
                1,
                100,
                Duration.ofSeconds(1),
                attemptsPerFile,
                Duration.ofSeconds(5),
                1 << 20,
                0,
                Optional.of(free));
        ProviderRegistry providers = new ProviderRegistry() {
            @Override
            public Optional<CloudDriveProvider> find(String providerId) {
                return providerId.equals("failing") ? Optional.ofNullable(installed.get()) : Optional.empty();
            }

            @Override
            public List<ProviderDescriptor> descriptors() {
                return List.of(new FailingProvider().descriptor());
            }
        };
        return new Context(
                settings,
                new CloudClient(settings.cloud().get(), "token"),
                new HeldGroups(database),
                providers,
                new Progress(),
                new Stopper(),
                new FreeSpace(root, settings.freeBytesFile()),
                new Blocks(providers),
                new Folders(root),
                System.nanoTime());
    }

    private static byte[] bytes(String path) {
        return ("bytes of " + path).getBytes(StandardCharsets.UTF_8);
    }

    /** Serves "bytes of <path>" for every path, after throwing that path's failures one per open. */
    private final class FailingProvider implements CloudDriveProvider {

        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor("failing", "Failing on purpose", List.of(), List.of(), Set.of());
        }

        @Override
        public ProviderSession connect(Map<String, String> credentials) {
            return new ProviderSession() {
                @Override
                public EntryPage list(String folder, String pageToken) {
                    throw new UnsupportedOperationException("the device never lists");
                }

                @Override
                public Entry stat(String path) {
                    throw new UnsupportedOperationException("the device never stats");
                }

                @Override
                public InputStream open(String path, long offset) throws ProviderException {
                    int n = opens.merge(path, 1, Integer::sum);
                    List<ProviderException> planned = failures.getOrDefault(path, List.of());
                    if (n <= planned.size()) {
                        throw planned.get(n - 1);
                    }
                    if (uninstallAndBreak.remove(path)) {
                        return new InputStream() {
                            @Override
                            public int read() {
                                installed.set(null);
                                // what a provider's closed HTTP client or unloaded class throws
                                throw new NoClassDefFoundError("org/example/provider/internal/Body");
                            }
                        };
                    }
                    if (uninstallDuring.remove(path)) {
                        return new SequenceInputStream(new ByteArrayInputStream(bytes(path), 0, 3), new InputStream() {
                            @Override
                            public int read() {
                                installed.set(null); // the bundle goes away between two reads
                                return 'x';
                            }
                        });
                    }
                    return new ByteArrayInputStream(bytes(path));
                }

                @Override
                public void close() {}
            };
        }
    }
}
