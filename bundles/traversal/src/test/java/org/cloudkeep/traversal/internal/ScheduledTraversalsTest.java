package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.merge.internal.SnapshotFixture.ContainerRow;
import org.cloudkeep.merge.internal.SnapshotFixture.Listing;
import org.cloudkeep.merge.internal.SnapshotFixture.TraversalRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduledTraversalsTest {

    private static final List<String> ROOT = List.of("/");

    @TempDir
    Path folder;

    private Harness harness;
    private MemoryDrive drive;
    private ScheduledTraversals traversals;

    @BeforeEach
    void open() throws Exception {
        harness = new Harness(folder);
        drive = new MemoryDrive("memory", 10)
                .folder("/a")
                .file("/a/1.txt", 1, "h1")
                .folder("/z")
                .file("/z/2.txt", 2, "h2");
        harness.providers.install(drive);
    }

    @AfterEach
    void close() {
        if (traversals != null) {
            traversals.deactivate();
        }
        harness.close();
    }

    private void start(Duration checkEvery) {
        Settings settings = new Settings(checkEvery, 2, 3, Duration.ofSeconds(600), 500);
        traversals = new ScheduledTraversals(
                harness.database, harness.accounts, harness.providers, harness.merger, settings);
    }

    private void awaitSnapshot(long container, int snapshot) throws Exception {
        Await.until(
                "container " + container + " to reach snapshot " + snapshot,
                () -> harness.fixture.containerRow(container).snapshot() >= snapshot
                        && harness.fixture.containerRow(container).state().equals("READY"));
    }

    @Test
    void activationRecoversFromACrashAndTheContainerIsTraversedAgain() throws Exception {
        long crashed = harness.container(
                "memory", ROOT, 10, MemoryDrive.CREDENTIALS, Instant.now().plusSeconds(86400));
        harness.fixture.update("UPDATE ck_containers SET state = 'TRAVERSING' WHERE id = ?", crashed);
        long running = harness.fixture.traversal(crashed);
        try (Listing listing = harness.fixture.listing(running)) {
            listing.folder("/a", 1).file("/a/1.txt", 1, 1);
        }
        long other = harness.container(
                "memory", ROOT, 10, MemoryDrive.CREDENTIALS, Instant.now().plusSeconds(86400));
        long failed = harness.fixture.traversal(other);
        try (Listing listing = harness.fixture.listing(failed)) {
            listing.file("/left-over", 1, 1);
        }
        harness.fixture.update("UPDATE ck_traversals SET state = 'FAILED' WHERE id = ?", failed);

        start(Duration.ofHours(1));

        awaitSnapshot(crashed, 1);
        TraversalRow interrupted = harness.fixture.traversalRow(running);
        assertEquals("FAILED", interrupted.state());
        assertTrue(interrupted.error().startsWith("interrupted"), interrupted.error());
        assertEquals(0, harness.fixture.listingRows(running), "the crashed traversal's listing is deleted");
        assertEquals(0, harness.fixture.listingRows(failed), "so is any other left-over listing");
        assertEquals(drive.paths(), harness.fixture.entries(crashed, 1).keySet());
        assertEquals("WAITING", harness.fixture.containerRow(other).state(), "a container not due is left alone");
    }

    @Test
    void theSchedulerPicksUpAContainerWhenItBecomesDue() throws Exception {
        long container = harness.container(
                "memory", ROOT, 10, MemoryDrive.CREDENTIALS, Instant.now().plusMillis(1500));

        start(Duration.ofSeconds(1));

        awaitSnapshot(container, 1);
        assertFalse(drive.threads().isEmpty());
        for (String thread : drive.threads()) {
            assertTrue(thread.startsWith("cloudkeep-traversal-"), thread);
        }
    }

    @Test
    void requestNowStartsATraversalAtOnce() throws Exception {
        long container = harness.container(
                "memory", ROOT, 10, MemoryDrive.CREDENTIALS, Instant.now().plusSeconds(86400));
        start(Duration.ofHours(1));

        traversals.requestNow(container);
        traversals.requestNow(987_654); // no such container: nothing happens

        awaitSnapshot(container, 1);
        ContainerRow row = harness.fixture.containerRow(container);
        assertTrue(row.nextTraversalAt().isAfter(Instant.now().plus(Duration.ofHours(23))));
    }

    @Test
    void requestNowDuringATraversalIsServedByTheNextOne() throws Exception {
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/") && call == 1) {
                listing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientProviderException("interrupted");
                }
            }
        });
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        start(Duration.ofHours(1));
        assertTrue(listing.await(10, TimeUnit.SECONDS), "the first traversal started");

        traversals.requestNow(container);
        assertEquals("TRAVERSING", harness.fixture.containerRow(container).state());
        drive.file("/added.txt", 3, "h3");
        release.countDown();

        awaitSnapshot(container, 2);
        assertTrue(harness.fixture.entries(container, 2).containsKey("/added.txt"));
    }

    @Test
    void deactivationInterruptsAWalkWhichFailsCleanly() throws Exception {
        CountDownLatch listing = new CountDownLatch(1);
        drive.fault((operation, path, call) -> {
            if (operation.equals("list") && path.equals("/z")) {
                listing.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientProviderException("interrupted while reading");
                }
            }
        });
        long container = harness.container("memory", ROOT, 10, MemoryDrive.CREDENTIALS);
        start(Duration.ofHours(1));
        assertTrue(listing.await(10, TimeUnit.SECONDS), "the walk reached /z");
        TraversalRow running = harness.fixture.lastTraversal(container);
        assertTrue(harness.fixture.listingRows(running.id()) > 0, "the walk had written some of its listing");

        traversals.deactivate();
        traversals = null;

        TraversalRow stopped = harness.fixture.traversalRow(running.id());
        assertEquals("FAILED", stopped.state());
        assertEquals(Traverser.STOPPED, stopped.error());
        assertEquals(0, harness.fixture.listingRows(running.id()));
        ContainerRow row = harness.fixture.containerRow(container);
        assertEquals("WAITING", row.state());
        assertEquals(0, row.failures(), "stopping is not a failure");
        assertEquals(0, row.snapshot());
        assertFalse(row.nextTraversalAt().isAfter(Instant.now()), "due again at once");
        assertEquals(0, drive.sessionsOpen());
    }
}
