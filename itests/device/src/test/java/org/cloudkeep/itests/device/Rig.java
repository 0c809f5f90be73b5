package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cloudkeep.testing.Api;
import org.cloudkeep.testing.Api.Answer;
import org.cloudkeep.testing.Plugins;
import org.cloudkeep.testing.RuntimeProcess;

/**
 * A real cloud runtime and a real device runtime, both started through {@code ./cloudkeep} on
 * loopback, with the local provider (and the test-only {@code slow} one) installed in both, one
 * user, and the device bound to that user.
 */
final class Rig implements AutoCloseable {

    static final Path LAUNCHER = Path.of(System.getProperty("cloudkeep.launcher"));
    static final Duration START = Duration.ofSeconds(90);
    static final Duration BACKUP = Duration.ofSeconds(180);

    final Path dir;
    RuntimeProcess cloud;
    Api api;
    final String token;
    final long deviceId;
    final String deviceToken;
    final Path deviceData;
    final Path backupRoot;
    final Path freeBytesFile;
    RuntimeProcess device;
    Api deviceApi;

    /** Provider jars installed besides local and slow, by provider id. */
    private final Map<String, Path> extraProviders;

    /** Starts the cloud; the device starts with {@link #startDevice}. The cloud rechecks INACTIVE devices every second. */
    Rig(Path dir) throws Exception {
        this(dir, Map.of());
    }

    /** As {@link #Rig(Path)}, with more provider jars (by provider id) installed in both runtimes. */
    Rig(Path dir, Map<String, Path> extraProviders) throws Exception {
        this.dir = dir;
        this.extraProviders = Map.copyOf(extraProviders);
        Path cloudData = dir.resolve("cloud");
        config(cloudData, "cloudkeep.groups", Map.of("recheckSeconds", "1"));
        cloud = RuntimeProcess.start(LAUNCHER, "cloud", cloudData);
        cloud.awaitHealthy(START);
        install(cloud);
        api = new Api(cloud.uri("/"));
        awaitProtocol();
        String name = "ann-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        assertEquals(
                201,
                api.post("/api/v1/users", null, Map.of("username", name, "password", password))
                        .status());
        Answer session = api.post("/api/v1/sessions", null, Map.of("username", name, "password", password));
        token = session.json().get("token").asText();
        Answer bound = api.post("/api/v1/devices", token, Map.of("serial", "SN-" + UUID.randomUUID(), "name", "box"));
        assertEquals(201, bound.status(), bound.toString());
        deviceId = bound.json().get("deviceId").asLong();
        deviceToken = bound.json().get("deviceToken").asText();
        deviceData = dir.resolve("device");
        backupRoot = dir.resolve("backup");
        freeBytesFile = dir.resolve("free-bytes");
        Files.writeString(freeBytesFile, String.valueOf(500L << 30)); // 500 GiB: ACTIVE
    }

    /** Stops the cloud (SIGTERM) and waits for it to end. */
    void stopCloud() throws InterruptedException {
        cloud.stop(Duration.ofSeconds(30));
    }

    /** Starts the cloud again on its data and its port, where the device expects it. */
    void restartCloud() throws Exception {
        cloud = RuntimeProcess.start(LAUNCHER, "cloud", dir.resolve("cloud"), List.of(), cloud.port());
        cloud.awaitHealthy(START);
        awaitProviders(cloud);
        api = new Api(cloud.uri("/"));
        awaitProtocol();
    }

    /** /health answers before every component is up: wait for /api/v1 too. */
    private void awaitProtocol() throws InterruptedException {
        cloud.await(
                START,
                "/api/v1 to answer",
                () -> Rig.quietly(() -> api.get("/api/v1/providers", null)).status() == 200);
    }

    /**
     * Starts (or restarts) the device with {@code --cloud --token --backup-root} and fetcher
     * settings; it reads its free space from {@link #freeBytesFile}.
     */
    void startDevice(Map<String, String> fetcher) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(
                Map.of("idleSeconds", "1", "checkpointMebibytes", "1", "freeBytesFile", freeBytesFile.toString()));
        settings.putAll(fetcher);
        config(deviceData, "cloudkeep.fetcher", settings);
        // Providers first, so that the fetcher finds them from its first round.
        dropProviders(deviceData.resolve("plugins"));
        device = RuntimeProcess.start(
                LAUNCHER,
                "device",
                deviceData,
                List.of(
                        "--cloud",
                        "http://127.0.0.1:" + cloud.port(),
                        "--token",
                        deviceToken,
                        "--backup-root",
                        backupRoot.toString()));
        device.awaitHealthy(START);
        awaitProviders(device);
        deviceApi = new Api(device.uri("/"));
    }

    long account(String provider, Map<String, String> credentials) throws Exception {
        Answer answer = api.post(
                "/api/v1/accounts",
                token,
                Map.of("provider", provider, "label", provider + " account", "credentials", credentials));
        assertEquals(201, answer.status(), answer.toString());
        return answer.json().get("accountId").asLong();
    }

    long localAccount(Path folder) throws Exception {
        return account("local", Map.of("root", folder.toString()));
    }

    /** A container of the whole account, after its first traversal. */
    long container(long accountId, int groupSize) throws Exception {
        Answer answer = api.post(
                "/api/v1/containers",
                token,
                Map.of("accountId", accountId, "deviceId", deviceId, "folders", List.of("/"), "groupSize", groupSize));
        assertEquals(201, answer.status(), answer.toString());
        long id = answer.json().get("containerId").asLong();
        awaitTraversal(id, null);
        return id;
    }

    JsonNode container(long id) throws Exception {
        Answer answer = api.get("/api/v1/containers/" + id, token);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json();
    }

    JsonNode awaitTraversal(long id, String after) throws Exception {
        JsonNode[] last = new JsonNode[1];
        cloud.await(BACKUP, "a traversal of container " + id, () -> {
            last[0] = quietly(() -> container(id));
            JsonNode traversal = last[0].get("lastTraversal");
            return traversal != null
                    && !traversal.isNull()
                    && !traversal.get("finishedAt").asText().equals(after)
                    && last[0].get("state").asText().equals("READY");
        });
        return last[0];
    }

    /** Re-traverses now and waits for the merge; answers the container. */
    JsonNode retraverse(long id) throws Exception {
        String before = container(id).get("lastTraversal").get("finishedAt").asText();
        assertEquals(
                202,
                api.post("/api/v1/containers/" + id + "/traversals", token, null)
                        .status());
        return awaitTraversal(id, before);
    }

    /** Waits until the cloud counts every file of the containers fetched. */
    void awaitBackedUp(long... ids) throws Exception {
        device.await(BACKUP, "every file fetched", () -> {
            for (long id : ids) {
                JsonNode c = quietly(() -> container(id));
                if (c.get("fetchedFiles").asLong() != c.get("files").asLong()
                        || !c.get("state").asText().equals("READY")) {
                    return false;
                }
            }
            return true;
        });
    }

    JsonNode deviceStatus() throws Exception {
        Answer answer = deviceApi.get("/api/v1/status", null);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json();
    }

    Path folderOf(long containerId) {
        return backupRoot.resolve(String.valueOf(containerId));
    }

    void free(long bytes) throws IOException {
        Path part = freeBytesFile.resolveSibling("free-bytes.part");
        Files.writeString(part, String.valueOf(bytes));
        Files.move(part, freeBytesFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code <data>/config/<pid>.cfg}, which the runtime reads at start. */
    static void config(Path data, String pid, Map<String, String> properties) throws IOException {
        Files.createDirectories(data.resolve("config"));
        List<String> lines = new ArrayList<>();
        properties.forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
        Files.write(data.resolve("config").resolve(pid + ".cfg"), lines, StandardCharsets.UTF_8);
    }

    private void install(RuntimeProcess runtime) throws Exception {
        dropProviders(runtime.plugins());
        awaitProviders(runtime);
    }

    private void dropProviders(Path plugins) throws IOException {
        Plugins.drop(Path.of(System.getProperty("cloudkeep.provider.local.jar")), plugins, "local.jar");
        Plugins.drop(Path.of(System.getProperty("cloudkeep.provider.fixture.jar")), plugins, "fixture.jar");
        for (Map.Entry<String, Path> provider : extraProviders.entrySet()) {
            Plugins.drop(provider.getValue(), plugins, provider.getKey() + ".jar");
        }
    }

    private void awaitProviders(RuntimeProcess runtime) throws Exception {
        List<String> ids = new ArrayList<>(List.of("local", "slow"));
        ids.addAll(extraProviders.keySet());
        runtime.await(Duration.ofSeconds(30), "providers " + ids, () -> runtime.providerIds()
                .containsAll(ids));
    }

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> T quietly(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (device != null) {
            device.close();
        }
        cloud.close();
    }
}
