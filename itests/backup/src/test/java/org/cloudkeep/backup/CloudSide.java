package org.cloudkeep.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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

/** A cloud runtime with the local and fixture providers installed, and the calls a person and a device make. */
final class CloudSide implements AutoCloseable {

    static final Path LAUNCHER = Path.of(System.getProperty("cloudkeep.launcher"));
    static final Duration START = Duration.ofSeconds(90);
    static final Duration TRAVERSAL = Duration.ofSeconds(120);
    static final long PLENTY = 50L << 30; // 50 GiB free: ACTIVE

    final RuntimeProcess runtime;
    final Api api;

    CloudSide(Path data) throws Exception {
        runtime = RuntimeProcess.start(LAUNCHER, "cloud", data);
        runtime.awaitHealthy(START);
        Plugins.drop(Path.of(System.getProperty("cloudkeep.provider.local.jar")), runtime.plugins(), "local.jar");
        Plugins.drop(Path.of(System.getProperty("cloudkeep.provider.fixture.jar")), runtime.plugins(), "fixture.jar");
        runtime.await(Duration.ofSeconds(30), "providers local and fixture", () -> runtime.providerIds()
                .containsAll(List.of("local", "fixture")));
        api = new Api(runtime.uri("/"));
    }

    /** A new user with a session and one device. */
    User user() throws Exception {
        String name = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        Answer created = api.post("/api/v1/users", null, Map.of("username", name, "password", password));
        assertEquals(201, created.status(), created.toString());
        Answer session = api.post("/api/v1/sessions", null, Map.of("username", name, "password", password));
        assertEquals(200, session.status(), session.toString());
        String token = session.json().get("token").asText();
        Answer device = api.post(
                "/api/v1/devices", token, Map.of("serial", "SN-" + UUID.randomUUID(), "name", name + "'s device"));
        assertEquals(201, device.status(), device.toString());
        return new User(
                name,
                password,
                created.json().get("userId").asLong(),
                token,
                device.json().get("deviceId").asLong(),
                device.json().get("deviceToken").asText());
    }

    /** Binds a fixture account on a folder: the password is the folder's name + "-secret". */
    long account(User user, Path folder, boolean hashes) throws Exception {
        Answer answer = api.post(
                "/api/v1/accounts",
                user.token(),
                Map.of(
                        "provider",
                        "fixture",
                        "label",
                        folder.getFileName().toString(),
                        "credentials",
                        Map.of(
                                "root",
                                folder.toString(),
                                "password",
                                folder.getFileName() + "-secret",
                                "hashes",
                                hashes ? "sha256" : "none")));
        assertEquals(201, answer.status(), answer.toString());
        return answer.json().get("accountId").asLong();
    }

    /** Creates a container and waits for its first traversal to be merged. */
    long container(User user, long accountId, int groupSize) throws Exception {
        Answer answer = api.post(
                "/api/v1/containers",
                user.token(),
                Map.of(
                        "accountId",
                        accountId,
                        "deviceId",
                        user.deviceId(),
                        "folders",
                        List.of("/"),
                        "groupSize",
                        groupSize));
        assertEquals(201, answer.status(), answer.toString());
        long id = answer.json().get("containerId").asLong();
        awaitTraversal(user, id, null);
        return id;
    }

    JsonNode container(User user, long id) throws Exception {
        Answer answer = api.get("/api/v1/containers/" + id, user.token());
        assertEquals(200, answer.status(), answer.toString());
        return answer.json();
    }

    /** Waits until the container's last traversal is a newer one than {@code after} (an ISO instant, or null). */
    JsonNode awaitTraversal(User user, long id, String after) throws Exception {
        JsonNode[] last = new JsonNode[1];
        runtime.await(TRAVERSAL, "a traversal of container " + id + " after " + after, () -> {
            try {
                last[0] = container(user, id);
                JsonNode traversal = last[0].get("lastTraversal");
                return traversal != null
                        && !traversal.isNull()
                        && !traversal.get("finishedAt").asText().equals(after);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return last[0];
    }

    /** Starts a re-traversal and waits for it. */
    JsonNode retraverse(User user, long id) throws Exception {
        String before =
                container(user, id).get("lastTraversal").get("finishedAt").asText();
        Answer answer = api.post("/api/v1/containers/" + id + "/traversals", user.token(), null);
        assertEquals(202, answer.status(), answer.toString());
        return awaitTraversal(user, id, before);
    }

    Answer next(User user) throws Exception {
        return api.post("/api/v1/device/groups/next", user.deviceToken(), Map.of("freeBytes", PLENTY));
    }

    Answer report(User user, long containerId, int groupNo, List<String> paths) throws Exception {
        return api.post(
                "/api/v1/device/reports",
                user.deviceToken(),
                Map.of("containerId", containerId, "groupNo", groupNo, "fetched", paths, "freeBytes", PLENTY));
    }

    /** Takes group after group and reports each whole, as a device that fetched everything; answers the paths. */
    List<String> fetchEverything(User user) throws Exception {
        List<String> fetched = new ArrayList<>();
        for (int round = 0; round < 10_000; round++) {
            Answer next = next(user);
            if (next.status() == 204) {
                return fetched;
            }
            assertEquals(200, next.status(), next.toString());
            JsonNode group = next.json();
            List<String> paths = paths(group);
            Answer report = report(
                    user,
                    group.get("containerId").asLong(),
                    group.get("groupNo").asInt(),
                    paths);
            assertEquals(200, report.status(), report.toString());
            assertEquals(true, report.json().get("ok").asBoolean(), report.toString());
            fetched.addAll(paths);
        }
        throw new AssertionError("more than 10,000 groups");
    }

    static List<String> paths(JsonNode group) {
        List<String> paths = new ArrayList<>();
        group.get("entries").forEach(e -> paths.add(e.get("path").asText()));
        return paths;
    }

    @Override
    public void close() throws Exception {
        if (runtime.alive()) {
            runtime.stop(Duration.ofSeconds(30));
        }
        runtime.close();
    }

    record User(String name, String password, long userId, String token, long deviceId, String deviceToken) {}
}
