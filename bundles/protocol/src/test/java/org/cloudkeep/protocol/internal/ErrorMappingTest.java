package org.cloudkeep.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import java.util.Map;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.AccountsException.Reason;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.InactiveDeviceException;
import org.cloudkeep.protocol.internal.Requests.FreeSpace;
import org.cloudkeep.protocol.internal.Requests.Login;
import org.cloudkeep.protocol.internal.Requests.NewAccount;
import org.cloudkeep.protocol.internal.Requests.NewContainer;
import org.cloudkeep.protocol.internal.Requests.Report;
import org.junit.jupiter.api.Test;

/** Bodies that do not fit and failures of every kind, turned into answers, without a servlet container. */
class ErrorMappingTest {

    private static final int LIMIT = 1024;

    private final Json json = new Json(LIMIT);

    // --- Jackson's refusals become 400s that name the field -------------------------------------

    @Test
    void anUnknownFieldIsNamedWithTheFieldsThatExist() throws Exception {
        Answer answer = read("{\"freeBytes\": 5, \"freeByte\": 1}", FreeSpace.class);
        answer.assertError(400, "unknown_field", "unknown field 'freeByte'");
        answer.assertMessageContains("freeBytes");
    }

    @Test
    void aWrongTypeNamesTheFieldAndWhatItMustBe() throws Exception {
        read("{\"freeBytes\": \"5\"}", FreeSpace.class)
                .assertError(400, "wrong_type", "field 'freeBytes' must be a whole number");
        read("{\"freeBytes\": 1.5}", FreeSpace.class)
                .assertError(400, "wrong_type", "field 'freeBytes' must be a whole number");
        read("{\"freeBytes\": true}", FreeSpace.class)
                .assertError(400, "wrong_type", "field 'freeBytes' must be a whole number");
        read("{\"freeBytes\": {}}", FreeSpace.class)
                .assertError(400, "wrong_type", "field 'freeBytes' must be a whole number");
        read("{\"username\": 5, \"password\": \"secret-pw\"}", Login.class)
                .assertError(400, "wrong_type", "field 'username' must be a string");
        read("{\"username\": \"ann\", \"password\": false}", Login.class)
                .assertError(400, "wrong_type", "field 'password' must be a string");
        read("{\"username\": \"ann\", \"password\": [\"a\", \"b\"]}", Login.class)
                .assertError(400, "wrong_type", "field 'password' must be a string");
    }

    @Test
    void aWrongTypeInsideAnArrayOrAnObjectNamesItsPath() throws Exception {
        read("{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [\"/a\", 7], \"freeBytes\": 1}", Report.class)
                .assertError(400, "wrong_type", "field 'fetched[1]' must be a string");
        read("{\"containerId\": 1, \"groupNo\": 1, \"fetched\": \"/a\", \"freeBytes\": 1}", Report.class)
                .assertError(400, "wrong_type", "field 'fetched' must be an array");
        read("{\"provider\": \"local\", \"label\": \"x\", \"credentials\": {\"root\": 3}}", NewAccount.class)
                .assertError(400, "wrong_type", "field 'credentials.root' must be a string");
        read("{\"provider\": \"local\", \"label\": \"x\", \"credentials\": {\"root\": null}}", NewAccount.class)
                .assertError(400, "wrong_type", "field 'credentials.root' must be a string, not null");
        read("{\"provider\": \"local\", \"label\": \"x\", \"credentials\": []}", NewAccount.class)
                .assertError(400, "wrong_type", "field 'credentials' must be an object");
    }

    @Test
    void missingPathsAreOptionalStringsNamedLikeFetched() throws Exception {
        Answer both = read(
                "{\"containerId\": 1, \"groupNo\": 2, \"fetched\": [\"/a\"], \"missing\": [\"/b\", \"/c\"], "
                        + "\"freeBytes\": 3}",
                Report.class);
        assertEquals(new Report(1L, 2, List.of("/a"), List.of("/b", "/c"), 3L), both.value);
        Answer absent = read("{\"containerId\": 1, \"groupNo\": 2, \"fetched\": [], \"freeBytes\": 3}", Report.class);
        assertEquals(new Report(1L, 2, List.of(), List.of(), 3L), absent.value, "a v1.0 report is still fine");
        Answer none = read(
                "{\"containerId\": 1, \"groupNo\": 2, \"fetched\": [], \"missing\": null, \"freeBytes\": 3}",
                Report.class);
        assertEquals(List.of(), ((Report) none.value).missing());

        read(
                        "{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [], \"missing\": [\"/a\", 7], \"freeBytes\": 1}",
                        Report.class)
                .assertError(400, "wrong_type", "field 'missing[1]' must be a string");
        read(
                        "{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [], \"missing\": [\"/a\", null], "
                                + "\"freeBytes\": 1}",
                        Report.class)
                .assertError(400, "wrong_type", "field 'missing[1]' must be a string, not null");
        read(
                        "{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [], \"missing\": [\"/a\", [\"/b\"]], "
                                + "\"freeBytes\": 1}",
                        Report.class)
                .assertError(400, "wrong_type", "field 'missing[1]' must be a string");
        read(
                        "{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [], \"missing\": \"/a\", \"freeBytes\": 1}",
                        Report.class)
                .assertError(400, "wrong_type", "field 'missing' must be an array");
        Answer unknown = read(
                "{\"containerId\": 1, \"groupNo\": 1, \"fetched\": [], \"gone\": [], \"freeBytes\": 1}", Report.class);
        unknown.assertError(400, "unknown_field", "unknown field 'gone'");
        unknown.assertMessageContains("missing");
    }

    @Test
    void aMissingOrNullFieldIsNamed() throws Exception {
        read("{}", FreeSpace.class).assertError(400, "missing_field", "field 'freeBytes' is required");
        read("{\"freeBytes\": null}", FreeSpace.class)
                .assertError(400, "missing_field", "field 'freeBytes' is required");
        read("{\"username\": \"ann\"}", Login.class).assertError(400, "missing_field", "field 'password' is required");
        read("{\"containerId\": 1, \"groupNo\": 1, \"freeBytes\": 1}", Report.class)
                .assertError(400, "missing_field", "field 'fetched' is required");
    }

    @Test
    void valuesOutOfRangeAreRefused() throws Exception {
        read("{\"freeBytes\": -1}", FreeSpace.class)
                .assertError(400, "invalid_value", "field 'freeBytes' cannot be negative");
        read("{\"containerId\": 1, \"groupNo\": 0, \"fetched\": [], \"freeBytes\": 1}", Report.class)
                .assertError(400, "invalid_value", "field 'groupNo' counts from 1");
        read("{\"containerId\": 1, \"groupNo\": 99999999999, \"fetched\": [], \"freeBytes\": 1}", Report.class)
                .assertError(400, "invalid_value", "field 'groupNo' is out of range");
        read("{\"freeBytes\": 99999999999999999999999}", FreeSpace.class)
                .assertError(400, "invalid_value", "out of range");
    }

    @Test
    void foldersMustBeProviderPaths() throws Exception {
        read("{\"accountId\": 1, \"deviceId\": 2, \"folders\": [\"/docs\", \"/a/../../etc\"]}", NewContainer.class)
                .assertError(400, "invalid_value", "field 'folders[1]' is not a provider path");
        read("{\"accountId\": 1, \"deviceId\": 2, \"folders\": [\"docs\"]}", NewContainer.class)
                .assertError(400, "invalid_value", "field 'folders[0]' is not a provider path");
        read("{\"accountId\": 1, \"deviceId\": 2, \"folders\": []}", NewContainer.class)
                .assertError(400, "invalid_value", "field 'folders' needs at least one folder");
        Answer fine = read(
                "{\"accountId\": 1, \"deviceId\": 2, \"folders\": [\"/\"], \"groupSize\": 50}", NewContainer.class);
        assertEquals(new NewContainer(1L, 2L, List.of("/"), 50, null), fine.value);
    }

    @Test
    void bodiesThatAreNotOneJsonObjectAreRefused() throws Exception {
        Answer broken = read("{\"freeBytes\": }", FreeSpace.class);
        broken.assertError(400, "malformed_json", "the body is not valid JSON at line 1, column ");
        read("", FreeSpace.class).assertError(400, "malformed_json", "the body is empty");
        read("[1]", FreeSpace.class).assertError(400, "malformed_json", "the body must be a JSON object");
        read("\"hello\"", FreeSpace.class).assertError(400, "malformed_json", "the body must be a JSON object");
        read("{\"freeBytes\": 1} {}", FreeSpace.class)
                .assertError(400, "malformed_json", "one JSON object and nothing after it");
        read("{\"freeBytes\": 1, \"freeBytes\": 2}", FreeSpace.class)
                .assertError(400, "malformed_json", "the body is not valid JSON");
        read("{\"freeBytes\": 1", FreeSpace.class).assertError(400, "malformed_json", "the body is not valid JSON");
    }

    @Test
    void noRefusalShowsClassNamesOrStackTraces() throws Exception {
        for (String body : List.of(
                "{\"freeBytes\": \"x\"}", "{\"x\": 1}", "[", "{}", "{\"freeBytes\": [1]}", "{\"freeBytes\": 1")) {
            String written = read(body, FreeSpace.class).written;
            assertFalse(written.contains("org.cloudkeep"), written);
            assertFalse(written.contains("com.fasterxml"), written);
            assertFalse(written.contains("java."), written);
            assertFalse(written.contains("\tat "), written);
            assertFalse(written.contains("Source:"), written);
            assertFalse(written.contains("StreamReadFeature"), written);
        }
    }

    // --- sizes and media types --------------------------------------------------------------------

    @Test
    void aDeclaredLengthAboveTheLimitIs413WithoutReadingTheBody() {
        TestRequest request =
                TestRequest.post("/device/status").json("{\"freeBytes\": 1}").declaredLength(LIMIT + 1);
        Answer answer = read(request, FreeSpace.class);
        answer.assertError(413, "body_too_large", "larger than 1024 bytes");
        assertEquals(0, request.bodyReads());
    }

    @Test
    void aChunkedBodyAboveTheLimitIs413() {
        byte[] big = padded(LIMIT + 1);
        TestRequest chunked = TestRequest.post("/device/status")
                .header("Content-Type", "application/json")
                .bytes(big, false);
        read(chunked, FreeSpace.class).assertError(413, "body_too_large", "larger than 1024 bytes");
        TestRequest lying = TestRequest.post("/device/status")
                .header("Content-Type", "application/json")
                .bytes(padded(LIMIT * 3), false)
                .declaredLength(20);
        read(lying, FreeSpace.class).assertError(413, "body_too_large", "larger than 1024 bytes");
    }

    @Test
    void aBodyOfExactlyTheLimitIsRead() {
        TestRequest request = TestRequest.post("/device/status")
                .header("Content-Type", "application/json")
                .bytes(padded(LIMIT), false);
        assertEquals(new FreeSpace(1L), read(request, FreeSpace.class).value);
    }

    @Test
    void aBodyMustBeDeclaredJsonInUtf8() {
        String body = "{\"freeBytes\": 1}";
        read(request(body).header("Content-Type", "text/plain"), FreeSpace.class)
                .assertError(415, "unsupported_media_type", "Content-Type: application/json");
        read(request(body).header("Content-Type", null), FreeSpace.class)
                .assertError(415, "unsupported_media_type", "needs Content-Type: application/json");
        read(request(body).header("Content-Type", "application/x-www-form-urlencoded"), FreeSpace.class)
                .assertError(415, "unsupported_media_type", "not application/x-www-form-urlencoded");
        read(request(body).header("Content-Type", "application/json; charset=ISO-8859-1"), FreeSpace.class)
                .assertError(415, "unsupported_media_type", "UTF-8");
        assertEquals(
                new FreeSpace(1L),
                read(request(body).header("Content-Type", "Application/JSON;charset=\"UTF-8\""), FreeSpace.class)
                        .value);
    }

    // --- the services' failures ------------------------------------------------------------------

    @Test
    void accountsRefusalsMapToTheirStatuses() {
        Map<Reason, Integer> statuses = Map.of(
                Reason.INVALID, 400,
                Reason.UNAUTHORIZED, 401,
                Reason.NOT_FOUND, 404,
                Reason.CONFLICT, 409,
                Reason.REJECTED, 422);
        Map<Reason, String> codes = Map.of(
                Reason.INVALID, "invalid_value",
                Reason.UNAUTHORIZED, "unauthorized",
                Reason.NOT_FOUND, "not_found",
                Reason.CONFLICT, "conflict",
                Reason.REJECTED, "rejected");
        for (Reason reason : Reason.values()) {
            Answer answer = fail(new AccountsException(reason, "because " + reason));
            answer.assertError(statuses.get(reason), codes.get(reason), "because " + reason);
        }
    }

    @Test
    void anInactiveDeviceIs409WithItsRecheckTime() {
        Answer answer = fail(new InactiveDeviceException(new DeviceStatus(DeviceStatus.INACTIVE, 300)));
        answer.assertError(409, "inactive", "INACTIVE");
        assertEquals("INACTIVE", answer.body().get("state"));
        assertEquals(300, answer.body().get("recheckSeconds"));
    }

    @Test
    void aBugIs500WithAReferenceAndNoDetails() {
        Answer answer = fail(new IllegalStateException("secret internals: password=hunter2"));
        answer.assertError(500, "internal_error", "Reference ");
        String message = (String) answer.body().get("message");
        assertTrue(message.matches(".*Reference [0-9a-f]{12} .*"), message);
        assertFalse(answer.written.contains("hunter2"), answer.written);
        assertFalse(answer.written.contains("IllegalStateException"), answer.written);
        assertEquals(2, answer.body().size(), "only error and message");
        String other = (String) fail(new IllegalStateException("x")).body().get("message");
        assertFalse(message.equals(other), "each failure gets its own reference");
    }

    @Test
    void aBusyOrLostDatabaseIs503AndABrokenQueryIs500() {
        Answer lockTimeout = fail(new IllegalStateException(
                "database failure",
                new SQLException("A lock could not be obtained within the time requested", "40XL1")));
        lockTimeout.assertError(503, "unavailable", "retry");
        assertEquals(Errors.RETRY_AFTER_SECONDS, lockTimeout.response.headers().get("Retry-After"));
        fail(new IllegalStateException("x", new SQLTransactionRollbackException("deadlock")))
                .assertError(503, "unavailable", "retry");
        fail(new IllegalStateException("x", new SQLException("no such table", "42X05")))
                .assertError(500, "internal_error", "Reference ");
    }

    @Test
    void everyAnswerCarriesTheStandardHeaders() {
        for (ApiResponse response : List.of(
                fail(new IllegalStateException()).response,
                fail(new AccountsException(Reason.CONFLICT, "taken")).response,
                ApiResponse.noContent(),
                ApiResponse.of(200, Map.of()))) {
            assertEquals("application/json; charset=utf-8", response.headers().get("Content-Type"));
            assertEquals("no-store", response.headers().get("Cache-Control"));
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static TestRequest request(String body) {
        return TestRequest.post("/device/status").json(body);
    }

    /** {"freeBytes": 1} padded with spaces to exactly {@code length} bytes. */
    private static byte[] padded(int length) {
        String body = "{\"freeBytes\": 1}";
        return (body + " ".repeat(length - body.length())).getBytes(StandardCharsets.US_ASCII);
    }

    private Answer read(String body, Class<?> type) {
        return read(request(body), type);
    }

    private Answer read(TestRequest request, Class<?> type) {
        try {
            return new Answer(null, json.read(request, type), null);
        } catch (Exception e) {
            return answer(Errors.toResponse(e, request));
        }
    }

    private Answer fail(Exception failure) {
        return answer(Errors.toResponse(failure, TestRequest.post("/device/reports")));
    }

    private Answer answer(ApiResponse response) {
        try {
            return new Answer(response, null, response.body() == null ? null : json.toJson(response.body()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private record Answer(ApiResponse response, Object value, String written) {

        @SuppressWarnings("unchecked")
        Map<String, Object> body() {
            return (Map<String, Object>) response.body();
        }

        void assertError(int status, String code, String messagePart) {
            assertNull(value, () -> "expected a " + status + " but the body was read: " + value);
            assertEquals(status, response.status(), () -> "answer: " + written);
            assertEquals(code, body().get("error"), () -> "answer: " + written);
            assertMessageContains(messagePart);
        }

        void assertMessageContains(String part) {
            String message = (String) body().get("message");
            assertTrue(message.contains(part), () -> "'" + message + "' does not say '" + part + "'");
        }
    }
}
