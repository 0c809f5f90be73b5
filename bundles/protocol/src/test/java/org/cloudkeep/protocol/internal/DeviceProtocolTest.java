package org.cloudkeep.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.groups.ContainerProgress;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.ReportResult;
import org.cloudkeep.protocol.internal.Fakes.FakeAccounts;
import org.cloudkeep.protocol.internal.Fakes.FakeGroups;
import org.cloudkeep.protocol.internal.Fakes.FakeProviders;
import org.cloudkeep.protocol.internal.Fakes.FakeTraversals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole protocol through {@link DeviceProtocol#handle}, with hand-written services and no servlet container. */
class DeviceProtocolTest {

    private final FakeAccounts accounts = new FakeAccounts();
    private final FakeGroups groups = new FakeGroups();
    private final FakeTraversals traversals = new FakeTraversals();
    private final FakeProviders providers = new FakeProviders();
    private final Json json = new Json(1_048_576);
    private final DeviceProtocol protocol = new DeviceProtocol(accounts, traversals, groups, providers, json);
    private final ObjectMapper reader = new ObjectMapper();
    private final List<ApiResponse> answers = new ArrayList<>();

    private String session;
    private long userId;
    private long deviceId;
    private String deviceToken;

    @BeforeEach
    void signUp() throws Exception {
        userId = call(TestRequest.post("/users").json("{\"username\": \"ann\", \"password\": \"correct horse\"}"))
                .expect(201)
                .get("userId")
                .asLong();
        session = call(TestRequest.post("/sessions").json("{\"username\": \"ann\", \"password\": \"correct horse\"}"))
                .expect(200)
                .get("token")
                .asText();
        JsonNode device = call(TestRequest.post("/devices")
                        .bearer(session)
                        .json("{\"serial\": \"SN-1\", \"name\": \"home box\"}"))
                .expect(201);
        deviceId = device.get("deviceId").asLong();
        deviceToken = device.get("deviceToken").asText();
        assertFalse(deviceToken.isBlank());
    }

    /** Every answer of every test: the headers the contract promises. */
    @AfterEach
    void everyAnswerIsJsonAndNotCached() {
        for (ApiResponse answer : answers) {
            assertEquals("application/json; charset=utf-8", answer.headers().get("Content-Type"), answer::toString);
            assertEquals("no-store", answer.headers().get("Cache-Control"), answer::toString);
        }
    }

    // --- users, sessions, devices ------------------------------------------------------------------

    @Test
    void aWrongPasswordIs401AndATakenNameOrSerialIs409() throws Exception {
        call(TestRequest.post("/sessions").json("{\"username\": \"ann\", \"password\": \"wrong horse\"}"))
                .expectError(401, "unauthorized");
        call(TestRequest.post("/users").json("{\"username\": \"ann\", \"password\": \"another one\"}"))
                .expectError(409, "conflict");
        call(TestRequest.post("/users").json("{\"username\": \"bob\", \"password\": \"short\"}"))
                .expectError(400, "invalid_value");
        call(TestRequest.post("/devices").bearer(session).json("{\"serial\": \"SN-1\", \"name\": \"again\"}"))
                .expectError(409, "conflict");
    }

    @Test
    void providersAreListedForAnyone() throws Exception {
        JsonNode list = call(TestRequest.get("/providers")).expect(200);
        assertEquals(
                reader.readTree("[{\"id\": \"local\", \"name\": \"Local folder\", \"hashes\": [\"sha256\"], "
                        + "\"credentials\": [{\"name\": \"root\", \"label\": \"Folder\", \"secret\": false, \"optional\": false}, "
                        + "{\"name\": \"key\", \"label\": \"Key\", \"secret\": true, \"optional\": false}]}]"),
                list);
    }

    // --- tokens --------------------------------------------------------------------------------------

    @Test
    void aMissingMalformedUnknownOrRevokedTokenIs401() throws Exception {
        String body = "{\"serial\": \"SN-2\", \"name\": \"x\"}";
        Answer missing = call(TestRequest.post("/devices").json(body));
        missing.expectError(401, "unauthorized");
        assertEquals("Bearer", missing.response.headers().get("WWW-Authenticate"));
        call(TestRequest.post("/devices")
                        .header("Authorization", "Basic YW5uOng=")
                        .json(body))
                .expectError(401, "unauthorized");
        call(TestRequest.post("/devices").header("Authorization", "Bearer ").json(body))
                .expectError(401, "unauthorized");
        call(TestRequest.post("/devices").bearer("no-such-token").json(body)).expectError(401, "unauthorized");
        accounts.revoke(session);
        call(TestRequest.post("/devices").bearer(session).json(body)).expectError(401, "unauthorized");
        call(TestRequest.get("/containers/1").bearer(session)).expectError(401, "unauthorized");
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        call(TestRequest.post("/devices")
                        .header("Authorization", "bearer " + session)
                        .json("{\"serial\": \"SN-3\", \"name\": \"x\"}"))
                .expect(201);
    }

    @Test
    void userCallsRefuseDeviceTokensAndDeviceCallsRefuseSessions() throws Exception {
        call(TestRequest.post("/devices").bearer(deviceToken).json("{\"serial\": \"SN-2\", \"name\": \"x\"}"))
                .expectError(403, "forbidden");
        call(TestRequest.get("/containers/1").bearer(deviceToken)).expectError(403, "forbidden");
        call(TestRequest.post("/device/status").bearer(session).json("{\"freeBytes\": 1}"))
                .expectError(403, "forbidden");
        call(TestRequest.post("/device/groups/next").bearer(session).json("{\"freeBytes\": 1}"))
                .expectError(403, "forbidden");
        assertEquals(List.of(), groups.calls);
    }

    @Test
    void theTokenIsCheckedBeforeTheBodyIsRead() throws Exception {
        TestRequest request = TestRequest.post("/devices").json("{not json");
        call(request).expectError(401, "unauthorized");
        assertEquals(0, request.bodyReads());
    }

    // --- accounts and containers ---------------------------------------------------------------------

    @Test
    void anAccountTheProviderRejectsIs422WithItsMessage() throws Exception {
        call(TestRequest.post("/accounts")
                        .bearer(session)
                        .json("{\"provider\": \"local\", \"label\": \"mine\", \"credentials\": {\"root\": \"/srv\"}}"))
                .expect(201)
                .get("accountId")
                .asLong();
        Answer rejected = call(TestRequest.post("/accounts")
                .bearer(session)
                .json("{\"provider\": \"local\", \"label\": \"mine\", \"credentials\": {\"other\": \"x\"}}"));
        rejected.expectError(422, "rejected");
        assertTrue(rejected.body.get("message").asText().contains("rejected the credentials"));
    }

    @Test
    void aNewContainerStartsItsFirstTraversalAndShowsItsState() throws Exception {
        long accountId = account();
        long containerId = call(TestRequest.post("/containers")
                        .bearer(session)
                        .json("{\"accountId\": " + accountId + ", \"deviceId\": " + deviceId
                                + ", \"folders\": [\"/\"], \"groupSize\": 500}"))
                .expect(201)
                .get("containerId")
                .asLong();
        assertEquals(List.of(containerId), traversals.requested);
        assertEquals(500, accounts.created.get(0).groupSize());
        assertNull(accounts.created.get(0).traverseEveryHours());

        groups.progress = new ContainerProgress(10, 12345, 2, 4, 100, 3);
        JsonNode state = call(TestRequest.get("/containers/" + containerId).bearer(session))
                .expect(200);
        assertEquals(
                reader.readTree("{\"containerId\": " + containerId + ", \"state\": \"WAITING\", \"files\": 10, "
                        + "\"bytes\": 12345, \"groups\": 2, \"fetchedFiles\": 4, \"fetchedBytes\": 100, \"missingFiles\": 3, "
                        + "\"lastTraversal\": null, \"nextTraversalAt\": \"2026-05-06T07:08:09Z\", "
                        + "\"lastError\": null}"),
                state);

        accounts.containers.put(
                containerId,
                new Container(
                        containerId,
                        userId,
                        accountId,
                        "local",
                        deviceId,
                        List.of("/"),
                        500,
                        24,
                        1,
                        "READY",
                        null,
                        null,
                        new Container.TraversalSummary(Instant.parse("2026-05-05T01:02:03.456Z"), 7, 1, 2, 30)));
        JsonNode after = call(TestRequest.get("/containers/" + containerId).bearer(session))
                .expect(200);
        assertEquals(
                reader.readTree("{\"finishedAt\": \"2026-05-05T01:02:03.456Z\", \"added\": 7, \"changed\": 1, "
                        + "\"removed\": 2, \"unchanged\": 30}"),
                after.get("lastTraversal"));
        assertTrue(after.get("nextTraversalAt").isNull());
    }

    @Test
    void aContainerIsCreatedEvenWhenTheTraversalCannotBeWokenUp() throws Exception {
        traversals.failure = new IllegalStateException("scheduler stopped");
        call(TestRequest.post("/containers")
                        .bearer(session)
                        .json("{\"accountId\": " + account() + ", \"deviceId\": " + deviceId
                                + ", \"folders\": [\"/\"]}"))
                .expect(201);
        assertEquals(1, accounts.containers.size());
    }

    @Test
    void foldersThatClimbOutAreRefusedBeforeAnythingIsCreated() throws Exception {
        call(TestRequest.post("/containers")
                        .bearer(session)
                        .json("{\"accountId\": " + account() + ", \"deviceId\": " + deviceId
                                + ", \"folders\": [\"/docs/../..\"]}"))
                .expectError(400, "invalid_value");
        assertEquals(List.of(), accounts.created);
        assertEquals(List.of(), traversals.requested);
    }

    @Test
    void anotherUsersContainerIsAnswered404LikeOneThatDoesNotExist() throws Exception {
        long containerId = container();
        call(TestRequest.post("/users").json("{\"username\": \"eve\", \"password\": \"password123\"}"))
                .expect(201);
        String eve = call(TestRequest.post("/sessions").json("{\"username\": \"eve\", \"password\": \"password123\"}"))
                .expect(200)
                .get("token")
                .asText();
        traversals.requested.clear();

        Answer theirs = call(TestRequest.get("/containers/" + containerId).bearer(eve));
        theirs.expectError(404, "not_found");
        Answer none = call(TestRequest.get("/containers/999999").bearer(eve));
        none.expectError(404, "not_found");
        assertEquals(
                theirs.body.get("message").asText().replace(String.valueOf(containerId), "N"),
                none.body.get("message").asText().replace("999999", "N"));
        call(TestRequest.post("/containers/" + containerId + "/traversals").bearer(eve))
                .expectError(404, "not_found");
        call(TestRequest.get("/containers/abc").bearer(session)).expectError(404, "not_found");
        assertEquals(List.of(), traversals.requested);
    }

    @Test
    void aReTraversalIsAccepted() throws Exception {
        long containerId = container();
        traversals.requested.clear();
        JsonNode answer = call(TestRequest.post("/containers/" + containerId + "/traversals")
                        .bearer(session))
                .expect(202);
        assertEquals(containerId, answer.get("containerId").asLong());
        assertEquals(List.of(containerId), traversals.requested);
    }

    // --- the device's calls --------------------------------------------------------------------------

    @Test
    void statusRecordsTheFreeSpaceOfTheTokensDevice() throws Exception {
        groups.status = new DeviceStatus(DeviceStatus.INACTIVE, 120);
        JsonNode status = call(TestRequest.post("/device/status")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 42}"))
                .expect(200);
        assertEquals(reader.readTree("{\"state\": \"INACTIVE\", \"recheckSeconds\": 120}"), status);
        assertEquals(List.of("status " + deviceId + " 42"), groups.calls);
    }

    @Test
    void nextAnswersAGroupWithItsAccountAndEntries() throws Exception {
        groups.next = Optional.of(Fakes.group(5, 3));
        JsonNode group = call(TestRequest.post("/device/groups/next")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 5000000000}"))
                .expect(200);
        assertEquals(
                reader.readTree("{\"containerId\": 5, \"groupNo\": 3, "
                        + "\"account\": {\"provider\": \"local\", \"credentials\": {\"root\": \"/srv/drive\"}}, "
                        + "\"entries\": ["
                        + "{\"path\": \"/docs\", \"size\": 0, \"modified\": \"2025-12-31T23:59:58.250Z\", "
                        + "\"hash\": null, \"directory\": true}, "
                        + "{\"path\": \"/docs/a.txt\", \"size\": 12, \"modified\": \"2025-12-31T23:59:58.250Z\", "
                        + "\"hash\": {\"algorithm\": \"sha256\", \"value\": \"" + "ab".repeat(32) + "\"}, "
                        + "\"directory\": false}, "
                        + "{\"path\": \"/docs/b.txt\", \"size\": 0, \"modified\": \"2025-12-31T23:59:58.250Z\", "
                        + "\"hash\": null, \"directory\": false}]}"),
                group);
        assertEquals(List.of("next " + deviceId + " 5000000000"), groups.calls);
    }

    @Test
    void nextIs204WhenEverythingIsFetchedAnd409WhenInactive() throws Exception {
        Answer done =
                call(TestRequest.post("/device/groups/next").bearer(deviceToken).json("{\"freeBytes\": 1}"));
        assertEquals(204, done.response.status());
        assertNull(done.response.body());

        groups.status = new DeviceStatus(DeviceStatus.INACTIVE, 300);
        Answer inactive =
                call(TestRequest.post("/device/groups/next").bearer(deviceToken).json("{\"freeBytes\": 1}"));
        inactive.expectError(409, "inactive");
        assertEquals("INACTIVE", inactive.body.get("state").asText());
        assertEquals(300, inactive.body.get("recheckSeconds").asInt());
    }

    @Test
    void nextWithWaitSecondsAnswersTheGroupThatComesWhileItWaits() throws Exception {
        long containerId = containerOfTheDevice(1);
        groups.next = Optional.of(Fakes.group(containerId, 3));
        groups.emptyAnswers = 1; // nothing at first
        accounts.onDeviceLook = look -> {
            if (look == 3) {
                mergeInto(containerId, 2); // a traversal is merged while the device waits
            }
        };
        JsonNode group = call(TestRequest.post("/device/groups/next?waitSeconds=30")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 7}"))
                .expect(200);
        assertEquals(3, group.get("groupNo").asInt());
        assertEquals(
                Collections.nCopies(2, "next " + deviceId + " 7"),
                groups.calls,
                "asked again once the snapshot changed, not at every look");
        assertEquals(3, accounts.deviceLooks);

        groups.calls.clear();
        accounts.deviceLooks = 0;
        accounts.onDeviceLook = look -> {
            if (look == 2) {
                mergeInto(containerId, 3);
            }
        };
        groups.each = List.of(Fakes.group(containerId, 1));
        groups.emptyAnswers = 1;
        JsonNode each = call(TestRequest.post("/device/groups/next?all=true&waitSeconds=30")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 7}"))
                .expect(200);
        assertEquals(1, each.size());
        assertEquals(Collections.nCopies(2, "nextOfEach " + deviceId + " 7"), groups.calls);
    }

    @Test
    void aMergeCommittedWhileTheFirstAskRunsIsNotMissed() throws Exception {
        long containerId = containerOfTheDevice(1);
        groups.next = Optional.of(Fakes.group(containerId, 1));
        groups.emptyAnswers = 1; // the first ask does not see the merge yet ...
        groups.whenAsked = () -> mergeInto(containerId, 2); // ... that commits while it runs
        JsonNode group = call(TestRequest.post("/device/groups/next?waitSeconds=30")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 7}"))
                .expect(200);
        assertEquals(1, group.get("groupNo").asInt());
        assertEquals(2, groups.calls.size(), "asked again at the next look, not after the whole wait");
    }

    @Test
    void nextWithoutWaitSecondsAnswersAtOnceAndAWaitThatRunsOutIs204() throws Exception {
        containerOfTheDevice(1);
        groups.next = Optional.of(Fakes.group(5, 3));
        groups.emptyAnswers = 1;
        Answer now =
                call(TestRequest.post("/device/groups/next").bearer(deviceToken).json("{\"freeBytes\": 1}"));
        assertEquals(204, now.response.status());
        assertEquals(List.of("next " + deviceId + " 1"), groups.calls, "asked once");
        assertEquals(0, accounts.deviceLooks);

        groups.calls.clear();
        groups.emptyAnswers = Integer.MAX_VALUE; // nothing comes
        Answer waited = call(TestRequest.post("/device/groups/next?waitSeconds=1")
                .bearer(deviceToken)
                .json("{\"freeBytes\": 1}"));
        assertEquals(204, waited.response.status());
        assertEquals(
                List.of("next " + deviceId + " 1"),
                groups.calls,
                "while no snapshot changes the group is asked for once (each ask records the free space)");
        assertTrue(accounts.deviceLooks >= 2, "the containers were read again while it waited");

        groups.calls.clear();
        groups.status = new DeviceStatus(DeviceStatus.INACTIVE, 300);
        call(TestRequest.post("/device/groups/next?waitSeconds=30")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 1}"))
                .expectError(409, "inactive");
        assertEquals(1, groups.calls.size(), "an INACTIVE device is answered at once");
    }

    /** A container of the test's device at a snapshot; its id. */
    private long containerOfTheDevice(int snapshot) {
        long containerId = 77;
        mergeInto(containerId, snapshot);
        return containerId;
    }

    private void mergeInto(long containerId, int snapshot) {
        accounts.containers.put(
                containerId,
                new Container(
                        containerId,
                        userId,
                        1,
                        "local",
                        deviceId,
                        List.of("/"),
                        1000,
                        24,
                        snapshot,
                        "READY",
                        null,
                        null,
                        null));
    }

    @Test
    void waitSecondsMustBeAWholeNumberUpTo60() throws Exception {
        // %D9%A5 is the Arabic-Indic digit five, which Integer.parseInt takes.
        for (String bad : List.of("61", "-1", "1.5", "x", "", "+5", "99999999999", "%D9%A5")) {
            call(TestRequest.post("/device/groups/next?waitSeconds=" + bad)
                            .bearer(deviceToken)
                            .json("{\"freeBytes\": 1}"))
                    .expectError(400, "invalid_value");
        }
        assertEquals(List.of(), groups.calls, "a bad query is refused before anything is asked");
        assertEquals(
                204,
                call(TestRequest.post("/device/groups/next?waitSeconds=0")
                                .bearer(deviceToken)
                                .json("{\"freeBytes\": 1}"))
                        .response
                        .status());
    }

    @Test
    void parallelModeAnswersOneGroupPerContainer() throws Exception {
        groups.each = List.of(Fakes.group(5, 1), Fakes.group(9, 4));
        JsonNode each = call(TestRequest.post("/device/groups/next?all=true")
                        .bearer(deviceToken)
                        .json("{\"freeBytes\": 1}"))
                .expect(200);
        assertTrue(each.isArray());
        assertEquals(2, each.size());
        assertEquals(9, each.get(1).get("containerId").asLong());
        assertEquals(4, each.get(1).get("groupNo").asInt());
        assertEquals(List.of("nextOfEach " + deviceId + " 1"), groups.calls);

        groups.each = List.of();
        assertEquals(
                204,
                call(TestRequest.post("/device/groups/next?all=true")
                                .bearer(deviceToken)
                                .json("{\"freeBytes\": 1}"))
                        .response
                        .status());
        call(TestRequest.post("/device/groups/next?all=false")
                .bearer(deviceToken)
                .json("{\"freeBytes\": 1}"));
        assertEquals("next " + deviceId + " 1", groups.calls.get(groups.calls.size() - 1));
        call(TestRequest.post("/device/groups/next?all=yes").bearer(deviceToken).json("{\"freeBytes\": 1}"))
                .expectError(400, "invalid_value");
    }

    @Test
    void aReportIsForTheTokensDeviceAndAnswersOkAndState() throws Exception {
        JsonNode ok = call(TestRequest.post("/device/reports")
                        .bearer(deviceToken)
                        .json("{\"containerId\": 5, \"groupNo\": 3, \"fetched\": [\"/docs\", \"/docs/a.txt\"], "
                                + "\"freeBytes\": 77}"))
                .expect(200);
        assertEquals(reader.readTree("{\"ok\": true, \"state\": \"ACTIVE\"}"), ok);
        assertEquals(List.of("report " + deviceId + " 5 3 [/docs, /docs/a.txt] [] 77"), groups.calls);

        groups.reportResult = new ReportResult(false, DeviceStatus.INACTIVE);
        JsonNode notOk = call(TestRequest.post("/device/reports")
                        .bearer(deviceToken)
                        .json("{\"containerId\": 5, \"groupNo\": 3, \"fetched\": [\"/../x\"], \"freeBytes\": 0}"))
                .expect(200);
        assertEquals(reader.readTree("{\"ok\": false, \"state\": \"INACTIVE\"}"), notOk);
    }

    @Test
    void aReportPassesOnThePathsMissingAtTheProvider() throws Exception {
        JsonNode ok = call(TestRequest.post("/device/reports")
                        .bearer(deviceToken)
                        .json("{\"containerId\": 5, \"groupNo\": 3, \"fetched\": [\"/a\"], "
                                + "\"missing\": [\"/b\", \"/c\"], \"freeBytes\": 77}"))
                .expect(200);
        assertEquals(reader.readTree("{\"ok\": true, \"state\": \"ACTIVE\"}"), ok);
        assertEquals(List.of("report " + deviceId + " 5 3 [/a] [/b, /c] 77"), groups.calls);

        call(TestRequest.post("/device/reports")
                        .bearer(deviceToken)
                        .json("{\"containerId\": 5, \"groupNo\": 3, \"fetched\": [], \"missing\": null, "
                                + "\"freeBytes\": 77}"))
                .expect(200);
        assertEquals("report " + deviceId + " 5 3 [] [] 77", groups.calls.get(1), "null is no missing paths");
        call(TestRequest.post("/device/reports")
                        .bearer(deviceToken)
                        .json("{\"containerId\": 5, \"groupNo\": 3, \"fetched\": [], \"missing\": [\"/a\", 1], "
                                + "\"freeBytes\": 77}"))
                .expectError(400, "wrong_type");
        assertEquals(2, groups.calls.size(), "a malformed report reaches no service");
    }

    // --- routing and failures ------------------------------------------------------------------------

    @Test
    void anUnknownCallIs404AndAWrongMethodIs405() throws Exception {
        call(TestRequest.get("/nothing")).expectError(404, "not_found");
        call(TestRequest.get("")).expectError(404, "not_found");
        call(TestRequest.post("/v2/users").json("{}")).expectError(404, "not_found");
        Answer wrong = call(TestRequest.get("/device/status").bearer(deviceToken));
        wrong.expectError(405, "method_not_allowed");
        assertEquals("POST", wrong.response.headers().get("Allow"));
        call(TestRequest.method("PATCH", "/containers/1").bearer(session)).expectError(405, "method_not_allowed");
        call(TestRequest.method("DELETE", "/providers")).expectError(405, "method_not_allowed");
    }

    @Test
    void aFailingServiceIs500WithAReferenceAndABusyDatabase503() throws Exception {
        groups.failure = new IllegalStateException("boom: credentials=secret");
        Answer failed =
                call(TestRequest.post("/device/groups/next").bearer(deviceToken).json("{\"freeBytes\": 1}"));
        failed.expectError(500, "internal_error");
        assertFalse(failed.written.contains("secret"), failed.written);
        assertTrue(failed.body.get("message").asText().contains("Reference "));

        accounts.failAuthentication =
                new IllegalStateException("db", new java.sql.SQLException("connection lost", "08006"));
        Answer busy = call(TestRequest.get("/containers/1").bearer(session));
        busy.expectError(503, "unavailable");
        assertEquals(Errors.RETRY_AFTER_SECONDS, busy.response.headers().get("Retry-After"));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private long account() throws Exception {
        return call(TestRequest.post("/accounts")
                        .bearer(session)
                        .json("{\"provider\": \"local\", \"label\": \"mine\", \"credentials\": {\"root\": \"/srv\"}}"))
                .expect(201)
                .get("accountId")
                .asLong();
    }

    private long container() throws Exception {
        return call(TestRequest.post("/containers")
                        .bearer(session)
                        .json("{\"accountId\": " + account() + ", \"deviceId\": " + deviceId
                                + ", \"folders\": [\"/\"]}"))
                .expect(201)
                .get("containerId")
                .asLong();
    }

    private Answer call(TestRequest request) throws Exception {
        ApiResponse response = protocol.handle(request);
        answers.add(response);
        String written = response.body() == null ? null : json.toJson(response.body());
        return new Answer(response, written == null ? null : reader.readTree(written), written);
    }

    private record Answer(ApiResponse response, JsonNode body, String written) {

        JsonNode expect(int status) {
            assertEquals(status, response.status(), () -> "answer: " + written);
            return body;
        }

        void expectError(int status, String code) {
            assertEquals(status, response.status(), () -> "answer: " + written);
            assertEquals(code, body.get("error").asText(), () -> "answer: " + written);
            assertFalse(body.get("message").asText().isBlank());
        }
    }
}
