package org.cloudkeep.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cloudkeep.backup.CloudSide.User;
import org.cloudkeep.testing.Api.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud side of the backup job, over HTTP, against one running cloud runtime. */
class CloudBackupTest {

    @TempDir
    static Path temp;

    static CloudSide cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = new CloudSide(temp.resolve("data"));
    }

    @AfterAll
    static void stop() throws Exception {
        cloud.close();
    }

    @Test
    void bindingFlowAndFirstTraversal() throws Exception {
        Answer providers = cloud.api.get("/api/v1/providers", null);
        assertEquals(200, providers.status(), providers.toString());
        JsonNode fixture = null;
        for (JsonNode p : providers.json()) {
            if (p.get("id").asText().equals("fixture")) {
                fixture = p;
            }
        }
        assertTrue(fixture != null, "the fixture provider is listed: " + providers);
        assertEquals("sha256", fixture.get("hashes").get(0).asText());
        assertTrue(fixture.get("credentials").get(1).get("secret").asBoolean(), "password is a secret field");

        User user = cloud.user();
        Answer wrong =
                cloud.api.post("/api/v1/sessions", null, Map.of("username", user.name(), "password", "nope-nope"));
        assertEquals(401, wrong.status(), wrong.toString());

        Path source = tree("binding", Map.of("a.txt", "alpha", "docs/b.txt", "bravo!", "docs/deep/c.txt", "charlie"));
        Answer rejected = cloud.api.post(
                "/api/v1/accounts",
                user.token(),
                Map.of(
                        "provider",
                        "fixture",
                        "label",
                        "x",
                        "credentials",
                        Map.of("root", source.toString(), "password", "wrong", "hashes", "sha256")));
        assertEquals(422, rejected.status(), rejected.toString());
        assertFalse(rejected.json().get("message").asText().isBlank());

        long account = cloud.account(user, source, true);
        long container = cloud.container(user, account, 100);
        JsonNode state = cloud.container(user, container);
        assertEquals(container, state.get("containerId").asLong());
        assertEquals(3, state.get("files").asLong(), state.toString());
        assertEquals(5 + 6 + 7, state.get("bytes").asLong(), state.toString());
        assertEquals(0, state.get("fetchedFiles").asLong());
        assertEquals(5, state.get("lastTraversal").get("added").asLong(), "3 files and 2 folders: " + state);
        assertTrue(state.hasNonNull("nextTraversalAt"), state.toString());

        Answer next = cloud.next(user);
        assertEquals(200, next.status(), next.toString());
        JsonNode group = next.json();
        assertEquals("fixture", group.get("account").get("provider").asText());
        assertEquals(
                source.toString(),
                group.get("account").get("credentials").get("root").asText());
        assertEquals(
                Set.of("/a.txt", "/docs", "/docs/b.txt", "/docs/deep", "/docs/deep/c.txt"),
                new TreeSet<>(CloudSide.paths(group)));
        for (JsonNode e : group.get("entries")) {
            if (e.get("path").asText().equals("/a.txt")) {
                assertEquals(5, e.get("size").asLong());
                assertEquals("sha256", e.get("hash").get("algorithm").asText());
                assertEquals(sha256("alpha"), e.get("hash").get("value").asText());
                assertFalse(e.get("directory").asBoolean());
            }
        }
    }

    @Test
    void groupsOfN() throws Exception {
        User user = cloud.user();
        Map<String, String> files = new java.util.HashMap<>();
        for (int i = 0; i < 7; i++) {
            files.put("f" + i + ".bin", "x".repeat(i + 1));
        }
        long container = cloud.container(user, cloud.account(user, tree("groups", files), true), 3);
        JsonNode state = cloud.container(user, container);
        assertEquals(7, state.get("files").asLong());
        assertEquals(3, state.get("groups").asInt(), "7 entries in groups of 3: " + state);

        int[] sizes = new int[4];
        for (int expectedGroup = 1; expectedGroup <= 3; expectedGroup++) {
            JsonNode group = cloud.next(user).json();
            assertEquals(expectedGroup, group.get("groupNo").asInt(), "the first unfinished group comes first");
            sizes[expectedGroup] = group.get("entries").size();
            Answer report = cloud.report(user, container, expectedGroup, CloudSide.paths(group));
            assertTrue(report.json().get("ok").asBoolean(), report.toString());
        }
        assertEquals(List.of(3, 3, 1), List.of(sizes[1], sizes[2], sizes[3]));
        assertEquals(204, cloud.next(user).status(), "everything fetched");
        JsonNode done = cloud.container(user, container);
        assertEquals(7, done.get("fetchedFiles").asLong());
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7, done.get("fetchedBytes").asLong());
    }

    @Test
    void reTraversalMergesAndKeepsFetched() throws Exception {
        User user = cloud.user();
        Path source = tree(
                "merge",
                Map.of(
                        "keep.txt", "same",
                        "change.txt", "before",
                        "samesize.txt", "aaaa",
                        "gone.txt", "bye",
                        "dir-to-file/x.txt", "inside"));
        long hashed = cloud.container(user, cloud.account(user, source, true), 100);
        long plain = cloud.container(user, cloud.account(user, source, false), 100);
        assertEquals(12, cloud.fetchEverything(user).size(), "6 entries in each container");
        assertEquals(204, cloud.next(user).status());

        // Nothing changed: fetched flags survive a re-traversal.
        JsonNode quiet = cloud.retraverse(user, hashed).get("lastTraversal");
        assertEquals(List.of(0L, 0L, 0L, 6L), counts(quiet));
        assertEquals(204, cloud.next(user).status(), "nothing to fetch again");

        Files.writeString(source.resolve("change.txt"), "after, and longer");
        Path samesize = source.resolve("samesize.txt");
        FileTime mtime = Files.getLastModifiedTime(samesize);
        Files.writeString(samesize, "bbbb"); // same size, different content,
        Files.setLastModifiedTime(samesize, mtime); // same modified time
        Files.delete(source.resolve("gone.txt"));
        Files.delete(source.resolve("dir-to-file/x.txt"));
        Files.delete(source.resolve("dir-to-file"));
        Files.writeString(source.resolve("dir-to-file"), "now a file");
        Files.writeString(source.resolve("new.txt"), "hello");

        // With hashes: the same-size-same-time change is seen.
        JsonNode withHashes = cloud.retraverse(user, hashed);
        assertEquals(List.of(1L, 3L, 2L, 1L), counts(withHashes.get("lastTraversal")), withHashes.toString());
        assertEquals(
                Set.of("/change.txt", "/samesize.txt", "/dir-to-file", "/new.txt"),
                unfetched(user, hashed),
                "only the changed and new entries are fetched again");

        // Without hashes: size and modified time decide, so the same-size-same-time change is not seen.
        JsonNode withoutHashes = cloud.retraverse(user, plain);
        assertEquals(List.of(1L, 2L, 2L, 2L), counts(withoutHashes.get("lastTraversal")), withoutHashes.toString());
        assertEquals(Set.of("/change.txt", "/dir-to-file", "/new.txt"), unfetched(user, plain));
        assertEquals(5, cloud.container(user, plain).get("files").asLong(), "keep, change, samesize, dir-to-file, new");
    }

    @Test
    void aGroupThatWasRegroupedAnswersOkFalse() throws Exception {
        User user = cloud.user();
        Path source = tree("regroup", Map.of("m1.txt", "1", "m2.txt", "2", "m3.txt", "3"));
        long container = cloud.container(user, cloud.account(user, source, true), 1);
        JsonNode group = cloud.next(user).json();
        assertEquals(1, group.get("groupNo").asInt());
        String held = CloudSide.paths(group).get(0);

        // A new file whose key sorts before the held one moves it to another group.
        String newcomer = null;
        for (int i = 0; newcomer == null && i < 10_000; i++) {
            if (sha256("/a" + i).compareTo(sha256(held)) < 0) {
                newcomer = "a" + i;
            }
        }
        Files.writeString(source.resolve(newcomer), "earlier");
        cloud.retraverse(user, container);

        Answer stale = cloud.report(user, container, 1, List.of(held));
        assertEquals(200, stale.status(), stale.toString());
        assertFalse(stale.json().get("ok").asBoolean(), "the held entry is no longer in group 1: " + stale);
        JsonNode again = cloud.next(user).json();
        assertEquals(List.of("/" + newcomer), CloudSide.paths(again), "asking again gives the new first group");
    }

    @Test
    void activeAndInactive() throws Exception {
        User user = cloud.user();
        Answer low = cloud.api.post("/api/v1/device/status", user.deviceToken(), Map.of("freeBytes", 1000));
        assertEquals(200, low.status(), low.toString());
        assertEquals("INACTIVE", low.json().get("state").asText());
        assertTrue(low.json().get("recheckSeconds").asInt() > 0);
        Answer refused = cloud.api.post("/api/v1/device/groups/next", user.deviceToken(), Map.of("freeBytes", 1000));
        assertEquals(409, refused.status(), refused.toString());
        Answer high =
                cloud.api.post("/api/v1/device/status", user.deviceToken(), Map.of("freeBytes", CloudSide.PLENTY));
        assertEquals("ACTIVE", high.json().get("state").asText());
        assertEquals(204, cloud.next(user).status(), "ACTIVE, and nothing to fetch yet");
    }

    @Test
    void oneUserCannotSeeOrTouchAnothersResources() throws Exception {
        User ann = cloud.user();
        User bob = cloud.user();
        long account = cloud.account(ann, tree("private", Map.of("diary.txt", "secret")), true);
        long container = cloud.container(ann, account, 10);

        assertEquals(
                404,
                cloud.api.get("/api/v1/containers/" + container, bob.token()).status());
        assertEquals(
                404,
                cloud.api
                        .post("/api/v1/containers/" + container + "/traversals", bob.token(), null)
                        .status());
        Answer steal = cloud.api.post(
                "/api/v1/containers",
                bob.token(),
                Map.of("accountId", account, "deviceId", bob.deviceId(), "folders", List.of("/")));
        assertEquals(404, steal.status(), "Bob cannot bind Ann's account: " + steal);
        Answer onAnnsDevice = cloud.api.post(
                "/api/v1/containers",
                bob.token(),
                Map.of("accountId", account, "deviceId", ann.deviceId(), "folders", List.of("/")));
        assertEquals(404, onAnnsDevice.status(), onAnnsDevice.toString());
        assertEquals(204, cloud.next(bob).status(), "Bob's device is handed nothing of Ann's");
        Answer report = cloud.report(bob, container, 1, List.of("/diary.txt"));
        assertFalse(report.status() == 200 && report.json().get("ok").asBoolean(), report.toString());
        assertEquals(0, cloud.container(ann, container).get("fetchedFiles").asLong(), "nothing was marked");

        assertEquals(
                403,
                cloud.api
                        .get("/api/v1/containers/" + container, ann.deviceToken())
                        .status(),
                "a device token is not a session");
        assertEquals(
                403,
                cloud.api
                        .post("/api/v1/device/status", ann.token(), Map.of("freeBytes", 1))
                        .status(),
                "a session is not a device");
    }

    @Test
    void badInputGetsAClearClientError() throws Exception {
        User user = cloud.user();
        String session = user.token();
        List<Answer> answers = List.of(
                cloud.api.raw("POST", "/api/v1/users", null, "{\"username\": \"x\", ", "application/json"),
                cloud.api.raw("POST", "/api/v1/users", null, "[1, 2]", "application/json"),
                cloud.api.raw(
                        "POST",
                        "/api/v1/users",
                        null,
                        "{\"username\":\"a\",\"password\":\"12345678\",\"admin\":true}",
                        "application/json"),
                cloud.api.raw("POST", "/api/v1/users", null, "{\"username\":5,\"password\":{}}", "application/json"),
                cloud.api.raw(
                        "POST",
                        "/api/v1/users",
                        null,
                        "{\"username\":\"" + "x".repeat(2 << 20) + "\"}",
                        "application/json"),
                cloud.api.raw("POST", "/api/v1/users", null, "username=a", "application/x-www-form-urlencoded"),
                cloud.api.get("/api/v1/containers/1", "not-a-token"),
                cloud.api.get("/api/v1/containers/1", null),
                cloud.api.get("/api/v1/containers/not-a-number", session),
                cloud.api.get("/api/v1/no-such-thing", session),
                cloud.api.post(
                        "/api/v1/containers",
                        session,
                        Map.of("accountId", 1, "deviceId", user.deviceId(), "folders", List.of("/../etc"))),
                cloud.api.post(
                        "/api/v1/containers",
                        session,
                        Map.of("accountId", 1, "deviceId", user.deviceId(), "folders", List.of("relative"))),
                cloud.api.post(
                        "/api/v1/device/reports",
                        user.deviceToken(),
                        Map.of(
                                "containerId",
                                1,
                                "groupNo",
                                1,
                                "fetched",
                                List.of("/../../etc/passwd"),
                                "freeBytes",
                                1)));
        // 0: any 4xx (a bad id or a bad folder may be refused as not found first); -1: 4xx or 200 with ok:false.
        int[] expected = {400, 400, 400, 400, 413, 415, 401, 401, 0, 404, 0, 0, -1};
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            assertTrue(a.status() < 500, "never a server error: " + a);
            if (expected[i] == 0) {
                assertTrue(a.status() >= 400, "case " + i + ": " + a);
            }
            if (expected[i] > 0) {
                assertEquals(expected[i], a.status(), "case " + i + ": " + a);
            }
            if (a.status() >= 400) {
                assertTrue(a.contentType().startsWith("application/json"), "case " + i + ": " + a.contentType());
                assertFalse(a.json().get("error").asText().isBlank(), "case " + i + ": " + a);
                assertFalse(a.json().get("message").asText().isBlank(), "case " + i + ": " + a);
            } else {
                assertFalse(a.json().get("ok").asBoolean(), "a path that escapes is never marked: " + a);
            }
            assertFalse(a.body().contains("Exception") || a.body().contains("\tat "), "no stack trace: " + a);
        }
    }

    private static List<Long> counts(JsonNode lastTraversal) {
        return List.of(
                lastTraversal.get("added").asLong(),
                lastTraversal.get("changed").asLong(),
                lastTraversal.get("removed").asLong(),
                lastTraversal.get("unchanged").asLong());
    }

    /** The paths the device is handed for one container, reported as fetched so the next group comes. */
    private static Set<String> unfetched(User user, long container) throws Exception {
        Set<String> paths = new TreeSet<>();
        for (int round = 0; round < 1000; round++) {
            Answer next = cloud.next(user);
            if (next.status() == 204) {
                return paths;
            }
            JsonNode group = next.json();
            List<String> groupPaths = CloudSide.paths(group);
            if (group.get("containerId").asLong() == container) {
                paths.addAll(groupPaths);
            }
            cloud.report(
                    user,
                    group.get("containerId").asLong(),
                    group.get("groupNo").asInt(),
                    groupPaths);
        }
        throw new AssertionError("too many groups");
    }

    /** A fresh source folder holding these files (relative path → content). */
    static Path tree(String name, Map<String, String> files) throws Exception {
        Path root = Files.createDirectories(temp.resolve("sources").resolve(name + "-" + System.nanoTime()));
        for (var file : files.entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
        return root;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
