package org.cloudkeep.groups.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.groups.ContainerProgress;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.InactiveDeviceException;
import org.cloudkeep.groups.ReportResult;
import org.cloudkeep.groups.TaskGroup;
import org.cloudkeep.store.PathKeys;
import org.cloudkeep.store.internal.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTaskGroupsTest {

    private static final long MIN_FREE = 1_000_000;
    private static final long PLENTY = 5_000_000;
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final String HASH_A = "a".repeat(64);

    @TempDir
    Path data;

    private TestDatabase db;
    private Fixture fixture;
    private DatabaseTaskGroups groups;
    private long user;
    private long device;
    private long account;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.cloud(data);
        fixture = new Fixture(db);
        groups = new DatabaseTaskGroups(db, fixture, MIN_FREE, 120, Clock.fixed(NOW, ZoneOffset.UTC));
        user = fixture.user("ann");
        device = fixture.device(user);
        account = fixture.account(user);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aDeviceIsActiveFromTheThresholdUpAndItsReportIsRecorded() throws Exception {
        DeviceStatus atThreshold = groups.status(device, MIN_FREE);
        assertEquals(DeviceStatus.ACTIVE, atThreshold.state());
        assertEquals(120, atThreshold.recheckSeconds());
        assertArrayEquals(new Object[] {MIN_FREE, "ACTIVE", NOW}, fixture.deviceRow(device));

        DeviceStatus below = groups.status(device, MIN_FREE - 1);
        assertEquals(DeviceStatus.INACTIVE, below.state());
        assertEquals(120, below.recheckSeconds());
        assertArrayEquals(new Object[] {MIN_FREE - 1, "INACTIVE", NOW}, fixture.deviceRow(device));
    }

    @Test
    void anInactiveDeviceGetsNoWork() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 10, null, false);

        InactiveDeviceException e =
                assertThrows(InactiveDeviceException.class, () -> groups.next(device, MIN_FREE - 1));
        assertEquals(DeviceStatus.INACTIVE, e.status().state());
        assertEquals(120, e.status().recheckSeconds());
        assertThrows(InactiveDeviceException.class, () -> groups.nextOfEach(device, 0));
        assertEquals("INACTIVE", fixture.deviceRow(device)[1]);
    }

    @Test
    void servesGroupOneThenGroupTwoOnceGroupOneIsReported() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.folder(container, 1, 1, "/docs", false);
        fixture.file(container, 1, 1, "/docs/a.txt", 12, HASH_A, false);
        fixture.file(container, 1, 1, "/docs/b.txt", 7, null, false);
        fixture.file(container, 1, 2, "/photos/c.jpg", 1000, null, false);

        TaskGroup first = groups.next(device, PLENTY).orElseThrow();
        assertEquals(container, first.containerId());
        assertEquals(1, first.groupNo());
        assertEquals("local", first.provider());
        assertEquals(Map.of("root", "/srv/account-" + account), first.credentials());
        assertEquals(byPathKey("/docs", "/docs/a.txt", "/docs/b.txt"), paths(first));
        Entry a = entry(first, "/docs/a.txt");
        assertEquals(Entry.file("/docs/a.txt", 12, Fixture.T0, new ContentHash("sha256", HASH_A)), a);
        assertEquals(Entry.file("/docs/b.txt", 7, Fixture.T0, null), entry(first, "/docs/b.txt"));
        assertEquals(Entry.folder("/docs", Fixture.T0), entry(first, "/docs"));

        ReportResult result = groups.report(device, container, 1, paths(first), PLENTY);
        assertTrue(result.ok());
        assertEquals(DeviceStatus.ACTIVE, result.state());

        TaskGroup second = groups.next(device, PLENTY).orElseThrow();
        assertEquals(2, second.groupNo());
        assertEquals(List.of("/photos/c.jpg"), paths(second));
    }

    @Test
    void aPartlyReportedGroupIsServedAgainWithWhatIsLeft() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 1, null, false);

        assertTrue(groups.report(device, container, 1, List.of("/a"), PLENTY).ok());

        TaskGroup again = groups.next(device, PLENTY).orElseThrow();
        assertEquals(1, again.groupNo());
        assertEquals(List.of("/b"), paths(again));
    }

    @Test
    void nothingIsServedWhenEverythingIsFetchedOrNoSnapshotExistsYet() throws Exception {
        long done = fixture.container(user, account, device, 1);
        fixture.file(done, 1, 1, "/a", 1, null, true);
        fixture.folder(done, 1, 2, "/b", true);
        fixture.container(user, account, device, 0); // not traversed yet

        assertTrue(groups.next(device, PLENTY).isEmpty());
        assertEquals(List.of(), groups.nextOfEach(device, PLENTY));
    }

    @Test
    void theLowestContainerWithWorkComesFirst() throws Exception {
        long done = fixture.container(user, account, device, 1);
        fixture.file(done, 1, 1, "/a", 1, null, true);
        long second = fixture.container(user, account, device, 3);
        fixture.file(second, 3, 4, "/x", 1, null, false);
        long third = fixture.container(user, account, device, 1);
        fixture.file(third, 1, 1, "/y", 1, null, false);

        TaskGroup next = groups.next(device, PLENTY).orElseThrow();
        assertEquals(second, next.containerId());
        assertEquals(4, next.groupNo());
    }

    @Test
    void nextOfEachGivesTheFirstUnfinishedGroupOfEveryContainer() throws Exception {
        long one = fixture.container(user, account, device, 1);
        fixture.file(one, 1, 1, "/done", 1, null, true);
        fixture.file(one, 1, 2, "/a", 1, null, false);
        fixture.file(one, 1, 3, "/b", 1, null, false);
        long finished = fixture.container(user, account, device, 1);
        fixture.file(finished, 1, 1, "/c", 1, null, true);
        long two = fixture.container(user, account, device, 2);
        fixture.file(two, 2, 1, "/d", 1, null, false);
        fixture.file(two, 2, 1, "/e", 1, null, false);
        long otherDevice = fixture.device(user);
        long foreign = fixture.container(user, account, otherDevice, 1);
        fixture.file(foreign, 1, 1, "/f", 1, null, false);

        List<TaskGroup> each = groups.nextOfEach(device, PLENTY);

        assertEquals(2, each.size());
        assertEquals(one, each.get(0).containerId());
        assertEquals(2, each.get(0).groupNo());
        assertEquals(List.of("/a"), paths(each.get(0)));
        assertEquals(two, each.get(1).containerId());
        assertEquals(1, each.get(1).groupNo());
        assertEquals(byPathKey("/d", "/e"), paths(each.get(1)));
    }

    @Test
    void aPathNotInTheGroupMakesTheReportNotOkButTheOthersAreMarked() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 1, null, false);
        fixture.file(container, 1, 2, "/later", 1, null, false);

        List<String> reported = new ArrayList<>(List.of("/a", "/later", "/nowhere", "/../etc/passwd", "", "x"));
        reported.add(null);
        ReportResult result = groups.report(device, container, 1, reported, PLENTY);

        assertFalse(result.ok());
        assertEquals(DeviceStatus.ACTIVE, result.state());
        assertTrue(fixture.fetched(container, "/a"));
        assertFalse(fixture.fetched(container, "/b"));
        assertFalse(fixture.fetched(container, "/later"), "a path of another group is not marked");
    }

    @Test
    void aReportForAnotherDevicesContainerMarksNothing() throws Exception {
        long otherDevice = fixture.device(user);
        long foreign = fixture.container(user, account, otherDevice, 1);
        fixture.file(foreign, 1, 1, "/a", 1, null, false);

        ReportResult result = groups.report(device, foreign, 1, List.of("/a"), PLENTY);

        assertFalse(result.ok());
        assertFalse(fixture.fetched(foreign, "/a"));
        assertEquals(0, fixture.fetchedCount());
        assertFalse(groups.report(device, 987_654, 1, List.of("/a"), PLENTY).ok(), "no such container");
    }

    @Test
    void aReportAfterARegroupIsNotOkForEntriesThatLeftTheGroup() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 1, null, false);
        fixture.file(container, 1, 2, "/c", 1, null, false);
        TaskGroup handedOut = groups.next(device, PLENTY).orElseThrow();
        assertEquals(byPathKey("/a", "/b"), paths(handedOut));

        fixture.regroup(container, Map.of("/b", 2, "/c", 1)); // snapshot 2: group 1 = /a, /c; group 2 = /b

        ReportResult result = groups.report(device, container, 1, List.of("/a", "/b"), PLENTY);

        assertFalse(result.ok());
        assertTrue(fixture.fetched(container, "/a"), "still in group 1 of the new snapshot");
        assertFalse(fixture.fetched(container, "/b"), "moved to group 2");
        TaskGroup next = groups.next(device, PLENTY).orElseThrow();
        assertEquals(1, next.groupNo());
        assertEquals(List.of("/c"), paths(next));
    }

    @Test
    void aReportDuringAMergeWaitsForItAndIsCheckedAgainstTheNewSnapshot() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 1, null, false);
        ExecutorService reporter = Executors.newSingleThreadExecutor();
        try (Connection merge = db.connect()) {
            merge.setAutoCommit(false);
            Fixture.lockLikeTheMerge(merge, container);
            fixture.regroupIn(merge, container, Map.of("/b", 2));

            Future<ReportResult> report =
                    reporter.submit(() -> groups.report(device, container, 1, List.of("/a", "/b"), PLENTY));
            assertThrows(
                    TimeoutException.class,
                    () -> report.get(500, TimeUnit.MILLISECONDS),
                    "the report waits for the merge's lock");
            merge.commit();

            ReportResult result = report.get(30, TimeUnit.SECONDS);
            assertFalse(result.ok(), "/b left group 1 in the merged snapshot");
            assertTrue(fixture.fetched(container, "/a"), "the flag is set in the new snapshot, not lost in the old");
            assertFalse(fixture.fetched(container, "/b"));
        } finally {
            reporter.shutdownNow();
        }
    }

    @Test
    void nextDuringAMergeWaitsForItAndServesTheNewSnapshot() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 2, "/b", 1, null, false);
        ExecutorService asker = Executors.newSingleThreadExecutor();
        try (Connection merge = db.connect()) {
            merge.setAutoCommit(false);
            Fixture.lockLikeTheMerge(merge, container);
            fixture.regroupIn(merge, container, Map.of("/a", 2, "/b", 1));

            Future<java.util.Optional<TaskGroup>> next = asker.submit(() -> groups.next(device, PLENTY));
            assertThrows(TimeoutException.class, () -> next.get(500, TimeUnit.MILLISECONDS));
            merge.commit();

            TaskGroup group = next.get(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals(1, group.groupNo());
            assertEquals(List.of("/b"), paths(group));
        } finally {
            asker.shutdownNow();
        }
    }

    @Test
    void aRepeatedReportIsOkAndTheReportAnswersTheState() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);

        assertTrue(groups.report(device, container, 1, List.of("/a"), PLENTY).ok());
        ReportResult again = groups.report(device, container, 1, List.of("/a", "/a"), MIN_FREE - 1);

        assertTrue(again.ok(), "a report sent twice (say after a lost answer) changes nothing");
        assertEquals(DeviceStatus.INACTIVE, again.state());
        assertEquals(MIN_FREE - 1, fixture.deviceRow(device)[0]);
        assertTrue(groups.report(device, container, 1, List.of(), PLENTY).ok(), "an empty report is fine");
    }

    @Test
    void progressCountsTheCurrentSnapshot() throws Exception {
        long container = fixture.container(user, account, device, 2);
        fixture.file(container, 1, 9, "/old", 999, null, false); // an older snapshot does not count
        fixture.folder(container, 2, 1, "/docs", true);
        fixture.file(container, 2, 1, "/docs/a", 100, null, true);
        fixture.file(container, 2, 1, "/docs/b", 20, null, false);
        fixture.file(container, 2, 2, "/c", 3, null, true);
        fixture.file(container, 2, 3, "/d", 4000, null, false);

        fixture.missingFile(container, 2, 3, "/gone", 50_000); // neither fetched nor left to fetch

        assertEquals(new ContainerProgress(5, 54123, 3, 2, 103, 1), groups.progress(container));
        assertEquals(
                new ContainerProgress(0, 0, 0, 0, 0, 0), groups.progress(fixture.container(user, account, device, 0)));
    }

    // --- missing at the provider --------------------------------------------------------------------

    @Test
    void aMissingPathIsNeverHandedOutAgainAndTheGroupFinishesWithoutIt() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 20, null, false);
        fixture.file(container, 1, 1, "/c", 300, null, false);
        fixture.file(container, 1, 2, "/d", 4000, null, false);

        ReportResult result = groups.report(device, container, 1, List.of("/a"), List.of("/b"), PLENTY);

        assertTrue(result.ok());
        assertEquals(2, fixture.flag(container, "/b"));
        TaskGroup rest = groups.next(device, PLENTY).orElseThrow();
        assertEquals(1, rest.groupNo());
        assertEquals(List.of("/c"), paths(rest), "the missing path is not handed out again");
        assertEquals(List.of(rest), groups.nextOfEach(device, PLENTY));

        assertTrue(groups.report(device, container, 1, List.of("/c"), List.of(), PLENTY)
                .ok());
        TaskGroup second = groups.next(device, PLENTY).orElseThrow();
        assertEquals(2, second.groupNo(), "group 1 is finished although /b was never fetched");
        assertEquals(List.of("/d"), paths(second));

        assertTrue(groups.report(device, container, 2, List.of("/d"), PLENTY).ok());
        assertTrue(groups.next(device, PLENTY).isEmpty(), "nothing left: 204");
        assertEquals(List.of(), groups.nextOfEach(device, PLENTY));
        assertEquals(
                new ContainerProgress(4, 4321, 2, 3, 4301, 1),
                groups.progress(container),
                "the missing file is neither fetched nor counted in the fetched bytes");
    }

    @Test
    void aMissingPathNotInTheGroupMakesTheReportNotOkAndMarksNothingMissing() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/a", 1, null, false);
        fixture.file(container, 1, 1, "/b", 1, null, false);
        fixture.file(container, 1, 2, "/later", 1, null, false);

        List<String> missing = new ArrayList<>(List.of("/later", "/nowhere", "/../etc/passwd", "", "x"));
        missing.add(null);
        ReportResult result = groups.report(device, container, 1, List.of("/a"), missing, PLENTY);

        assertFalse(result.ok());
        assertTrue(fixture.fetched(container, "/a"), "the fetched path in the group is marked all the same");
        assertEquals(0, fixture.flag(container, "/later"), "a path of another group is not marked");
        assertEquals(0, fixture.missingCount());

        ReportResult partly = groups.report(device, container, 1, List.of(), List.of("/b", "/later"), PLENTY);
        assertFalse(partly.ok());
        assertEquals(2, fixture.flag(container, "/b"), "the missing path in the group is marked all the same");
        assertEquals(0, fixture.flag(container, "/later"));
    }

    @Test
    void aMissingReportForAnotherDevicesContainerMarksNothing() throws Exception {
        long otherDevice = fixture.device(user);
        long foreign = fixture.container(user, account, otherDevice, 1);
        fixture.file(foreign, 1, 1, "/a", 1, null, false);

        assertFalse(groups.report(device, foreign, 1, List.of(), List.of("/a"), PLENTY)
                .ok());
        assertEquals(0, fixture.flag(foreign, "/a"));
    }

    @Test
    void aRepeatedMissingReportIsOkAndNeverUndoesAFetch() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/gone", 1, null, false);
        fixture.file(container, 1, 1, "/here", 1, null, false);

        assertTrue(groups.report(device, container, 1, List.of(), List.of("/gone"), PLENTY)
                .ok());
        assertTrue(
                groups.report(device, container, 1, List.of(), List.of("/gone", "/gone"), PLENTY)
                        .ok(),
                "a report sent twice (say after a lost answer) changes nothing");
        assertEquals(2, fixture.flag(container, "/gone"));

        assertTrue(groups.report(device, container, 1, List.of("/here"), PLENTY).ok());
        assertTrue(
                groups.report(device, container, 1, null, List.of("/here"), PLENTY)
                        .ok(),
                "a fetched path reported missing later is in the group");
        assertEquals(1, fixture.flag(container, "/here"), "what was fetched stays fetched");
        assertTrue(groups.report(device, container, 1, List.of(), null, PLENTY).ok(), "an empty report is fine");
    }

    @Test
    void aPathInBothListsCountsAsFetched() throws Exception {
        long container = fixture.container(user, account, device, 1);
        fixture.file(container, 1, 1, "/both", 10, null, false);
        fixture.file(container, 1, 1, "/back", 20, null, false);

        assertTrue(groups.report(device, container, 1, List.of("/both"), List.of("/both"), PLENTY)
                .ok());
        assertEquals(1, fixture.flag(container, "/both"));

        // Reported missing first, then fetched after all (it was only briefly gone): fetched.
        assertTrue(groups.report(device, container, 1, List.of(), List.of("/back"), PLENTY)
                .ok());
        assertTrue(groups.report(device, container, 1, List.of("/back"), List.of("/back"), PLENTY)
                .ok());
        assertEquals(1, fixture.flag(container, "/back"));
        assertEquals(new ContainerProgress(2, 30, 1, 2, 30, 0), groups.progress(container));
    }

    @Test
    void aContainerWhoseCredentialsAreUnavailableIsSkipped() throws Exception {
        long brokenAccount = fixture.account(user);
        long broken = fixture.container(user, brokenAccount, device, 1);
        fixture.file(broken, 1, 1, "/a", 1, null, false);
        long fine = fixture.container(user, account, device, 1);
        fixture.file(fine, 1, 1, "/b", 1, null, false);
        fixture.breakAccount(brokenAccount);

        assertEquals(fine, groups.next(device, PLENTY).orElseThrow().containerId());
        assertEquals(1, groups.nextOfEach(device, PLENTY).size());
    }

    private static List<String> paths(TaskGroup group) {
        return group.entries().stream().map(Entry::path).toList();
    }

    private static Entry entry(TaskGroup group, String path) {
        return group.entries().stream()
                .filter(e -> e.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> byPathKey(String... paths) {
        List<String> sorted = new ArrayList<>(Arrays.asList(paths));
        sorted.sort((x, y) -> PathKeys.of(x).compareTo(PathKeys.of(y)));
        return sorted;
    }
}
