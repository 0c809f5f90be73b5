package org.cloudkeep.backupfolder;

import static org.cloudkeep.backupfolder.BackupFolderTest.list;
import static org.cloudkeep.backupfolder.BackupFolderTest.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cloudkeep.api.ContentHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncomingTest {

    private static final Instant TIME = Instant.parse("2024-03-05T06:07:08.123Z");

    @TempDir
    Path root;

    private BackupFolder folder;
    private final byte[] content = bytes(300_000, 1);

    @BeforeEach
    void setUp() throws IOException {
        folder = BackupFolder.open(root, 3);
    }

    @Test
    void theStagingFileHasAFixedNameBesideTheFinalFile() throws IOException {
        String expected = ".cloudkeep-part-"
                + sha256("/docs/a.txt".getBytes(StandardCharsets.UTF_8)).substring(0, 32);
        try (Incoming in = folder.incoming("/docs/a.txt", content.length, TIME, null)) {
            assertEquals(folder.path().resolve("docs").resolve(expected), in.stagingFile());
            in.append(new ByteArrayInputStream(content, 0, 1000), 100, n -> {});
            assertTrue(Files.isRegularFile(in.stagingFile()));
            assertFalse(Files.exists(folder.path().resolve("docs/a.txt")), "no partial file at the final name");
        }
        assertTrue(Files.exists(folder.path().resolve("docs").resolve(expected)), "close() keeps it");
        try (Incoming again = folder.incoming("docs/a.txt", content.length, TIME, null)) {
            assertEquals(folder.path().resolve("docs").resolve(expected), again.stagingFile());
        }
    }

    @Test
    void aDownloadIsVerifiedAndPlacedWithItsTime() throws IOException {
        ContentHash hash = new ContentHash(ContentHash.SHA256, sha256(content));
        List<Long> checkpoints = new ArrayList<>();
        Placed placed;
        try (Incoming in = folder.incoming("/docs/a.txt", content.length, TIME, hash)) {
            assertEquals("sha256", in.verifiedWith());
            assertEquals(content.length, in.size());
            assertEquals(0, in.resume(0));
            assertEquals(content.length, in.append(new ByteArrayInputStream(content), 100_000, checkpoints::add));
            placed = in.commit();
        }
        assertEquals(List.of(131_072L, 262_144L), checkpoints, "every 100,000 bytes or more, by 64 KiB reads");
        Path file = folder.path().resolve("docs/a.txt");
        assertEquals(new Placed("/docs/a.txt", file, "docs/a.txt", false, null, false, "sha256"), placed);
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(TIME, Files.getLastModifiedTime(file).toInstant());
        assertEquals(List.of("a.txt"), list(file.getParent()), "the staging file is gone");
    }

    @Test
    void aRestartedDownloadResumesFromItsCheckpoint() throws IOException {
        ContentHash hash = new ContentHash(ContentHash.SHA256, sha256(content));
        long[] durable = {0};
        try (Incoming first = folder.incoming("/big.bin", content.length, TIME, hash)) {
            first.resume(0);
            first.append(new ByteArrayInputStream(content, 0, 200_000), 65_536, n -> durable[0] = n);
            // Bytes after the last checkpoint, which the crash may have torn:
            first.append(new ByteArrayInputStream(new byte[5_000]), Long.MAX_VALUE, n -> {});
        }
        assertEquals(196_608, durable[0]);
        Path staging;

        BackupFolder restarted = BackupFolder.open(root, 3);
        try (Incoming second = restarted.incoming("/big.bin", content.length, TIME, hash)) {
            staging = second.stagingFile();
            assertEquals(205_000, Files.size(staging));
            long offset = second.resume(durable[0]);
            assertEquals(durable[0], offset);
            assertEquals(durable[0], Files.size(staging), "trimmed to the checkpoint");
            InputStream rest = new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
            assertEquals(content.length, second.append(rest, 65_536, n -> {}));
            Placed placed = second.commit();
            assertEquals("sha256", placed.verifiedWith());
        }
        assertArrayEquals(content, Files.readAllBytes(restarted.path().resolve("big.bin")));
        assertFalse(Files.exists(staging));
    }

    @Test
    void resumeStartsAfreshWhenThereIsNothingToKeep() throws IOException {
        try (Incoming in = folder.incoming("/f", 10, TIME, null)) {
            assertEquals(0, in.resume(500), "no staging file yet");
            in.append(new ByteArrayInputStream(new byte[8]), 4, n -> {});
            assertEquals(8, in.resume(500), "never more than is there");
            assertEquals(0, in.resume(0), "0 = afresh");
            assertEquals(0, Files.size(in.stagingFile()));
        }
    }

    @Test
    void aTruncatedDownloadIsRejectedAndLeavesNoFile() throws IOException {
        try (Incoming in = folder.incoming("/t.bin", content.length, TIME, null)) {
            in.append(new ByteArrayInputStream(content, 0, content.length - 1), 65_536, n -> {});
            VerificationException e = assertThrows(VerificationException.class, in::commit);
            assertTrue(e.getMessage().contains("expected 300000 bytes, got 299999"), e.getMessage());
            assertFalse(Files.exists(in.stagingFile()));
            assertThrows(IllegalStateException.class, in::commit, "the download has ended");
        }
        assertEquals(List.of(), list(folder.path()));
    }

    @ParameterizedTest
    @CsvSource({"sha256,SHA-256", "sha1,SHA-1", "md5,MD5"})
    void aCorruptedDownloadIsRejectedByItsHash(String algorithm, String javaName) throws Exception {
        String good =
                HexFormat.of().formatHex(MessageDigest.getInstance(javaName).digest(content));
        byte[] corrupted = content.clone();
        corrupted[123_456] ^= 1;
        ContentHash hash = new ContentHash(algorithm, good);
        try (Incoming in = folder.incoming("/c.bin", content.length, TIME, hash)) {
            assertEquals(algorithm, in.verifiedWith());
            in.append(new ByteArrayInputStream(corrupted), 65_536, n -> {});
            VerificationException e = assertThrows(VerificationException.class, in::commit);
            assertTrue(e.getMessage().contains("expected " + good), e.getMessage());
        }
        assertEquals(List.of(), list(folder.path()));

        try (Incoming in =
                folder.incoming("/c.bin", content.length, TIME, new ContentHash(algorithm, good.toUpperCase()))) {
            in.append(new ByteArrayInputStream(content), 65_536, n -> {});
            assertEquals(algorithm, in.commit().verifiedWith(), "upper-case hex is the same hash");
        }
    }

    @Test
    void moreBytesThanListedAreRejectedAtOnce() throws IOException {
        try (Incoming in = folder.incoming("/o.bin", 1000, TIME, null)) {
            VerificationException e = assertThrows(
                    VerificationException.class,
                    () -> in.append(new ByteArrayInputStream(new byte[1001]), 100, n -> {}));
            assertTrue(e.getMessage().contains("1000"), e.getMessage());
            assertFalse(Files.exists(in.stagingFile()));
        }
        assertEquals(List.of(), list(folder.path()));
    }

    @Test
    void anUnknownAlgorithmIsCheckedBySizeOnly() throws IOException {
        ContentHash foreign = new ContentHash("dropbox-content-hash", "0123");
        try (Incoming in = folder.incoming("/u.bin", 4, TIME, foreign)) {
            assertEquals("size", in.verifiedWith());
            in.append(new ByteArrayInputStream(new byte[4]), 100, n -> {});
            assertEquals("size", in.commit().verifiedWith());
        }
    }

    @Test
    void anEmptyFileNeedsNoAppend() throws IOException {
        try (Incoming in = folder.incoming("/empty", 0, TIME, null)) {
            Placed placed = in.commit();
            assertEquals(0, Files.size(placed.file()));
        }
    }

    @Test
    void discardIncomingDeletesOnlyTheStagingFile() throws IOException {
        Path staging;
        try (Incoming in = folder.incoming("/d/part.bin", 10, TIME, null)) {
            in.append(new ByteArrayInputStream(new byte[4]), 2, n -> {});
            staging = in.stagingFile();
        }
        write("/d/kept.bin", new byte[] {1}, TIME, null);
        folder.discardIncoming("/d/part.bin");
        assertFalse(Files.exists(staging));
        assertEquals(List.of("kept.bin"), list(folder.path().resolve("d")));

        folder.discardIncoming("/d/part.bin"); // nothing there: fine
        folder.discardIncoming("/never/started.bin");
        folder.discardIncoming("/d/kept.bin/under-a-file");
        assertFalse(Files.exists(folder.path().resolve("never")), "creates nothing");
        assertTrue(Files.isRegularFile(folder.path().resolve("d/kept.bin")));
    }

    @Test
    void aFileWhereAParentFolderShouldBeIsNotAnError() throws IOException {
        write("/p", new byte[] {1}, TIME, null);
        assertFalse(folder.holds("/p/child", 1, TIME, null));
        assertEquals(folder.path().resolve("p/child"), folder.locate("/p/child"));
        Placed placed = write("/p/child", new byte[] {2}, TIME, null);
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(placed.file()));
        assertArrayEquals(
                new byte[] {1}, Files.readAllBytes(folder.path().resolve(".cloudkeep-versions/p~2024-03-05T060708Z")));
    }

    @Test
    void theRootIsNotAFile() {
        assertThrows(IOException.class, () -> folder.incoming("/", 0, TIME, null));
    }

    @Test
    void aDifferentFileAtTheFinalNameIsKeptUnderVersionsWithItsDate() throws IOException {
        Path file = folder.path().resolve("docs/a.txt");
        for (String old : List.of("first", "second")) {
            write("/docs/a.txt", old.getBytes(StandardCharsets.UTF_8), TIME, null);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2023-12-31T23:59:58.9Z")));
        }
        Placed placed = write("/docs/a.txt", "third".getBytes(StandardCharsets.UTF_8), TIME, null);

        Path versions = folder.path().resolve(".cloudkeep-versions/docs");
        assertEquals(versions.resolve("a.txt~2023-12-31T235958Z-2"), placed.previousVersion());
        assertFalse(placed.unchanged());
        assertEquals("first", Files.readString(versions.resolve("a.txt~2023-12-31T235958Z")));
        assertEquals("second", Files.readString(versions.resolve("a.txt~2023-12-31T235958Z-2")));
        assertEquals("third", Files.readString(file));
    }

    @Test
    void anIdenticalFileIsLeftAsItIs() throws IOException {
        ContentHash hash = new ContentHash(ContentHash.SHA1, sha1(content));
        write("/same.bin", content, TIME, hash);
        Path file = folder.path().resolve("same.bin");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Placed byHash = write("/same.bin", content, TIME, hash);
        assertTrue(byHash.unchanged());
        assertNull(byHash.previousVersion());
        assertEquals(
                Instant.parse("2001-01-01T00:00:00Z"),
                Files.getLastModifiedTime(file).toInstant());

        write("/timed.bin", content, TIME, null);
        Placed byTime = write("/timed.bin", content, TIME, null);
        assertTrue(byTime.unchanged());
        Placed otherTime = write("/timed.bin", content, TIME.plusSeconds(1), null);
        assertFalse(otherTime.unchanged(), "without a hash another time is another file");
        assertTrue(Files.exists(otherTime.previousVersion()));

        assertEquals(List.of(".cloudkeep-versions", "same.bin", "timed.bin"), list(folder.path()));
    }

    @Test
    void aFolderReplacedByAFileAndBackAreBothKept() throws IOException {
        folder.makeFolder("/x", Instant.parse("2022-02-02T02:02:02Z"));
        write("/x/child", "child".getBytes(StandardCharsets.UTF_8), TIME, null);
        Files.setLastModifiedTime(folder.path().resolve("x"), FileTime.from(Instant.parse("2022-02-02T02:02:02Z")));

        Placed placed = write("/x", "now a file".getBytes(StandardCharsets.UTF_8), TIME, null);
        Path oldFolder = folder.path().resolve(".cloudkeep-versions/x~2022-02-02T020202Z");
        assertEquals(oldFolder, placed.previousVersion());
        assertEquals("child", Files.readString(oldFolder.resolve("child")));
        assertEquals("now a file", Files.readString(folder.path().resolve("x")));

        folder.makeFolder("/x", TIME);
        assertTrue(Files.isDirectory(folder.path().resolve("x")));
        Path oldFile = folder.path().resolve(".cloudkeep-versions/x~2024-03-05T060708Z");
        assertEquals("now a file", Files.readString(oldFile));
    }

    @Test
    void anEncodedNameIsPlacedAndRecorded() throws IOException {
        Placed placed = write("/in\nvoice/.cloudkeep-x", new byte[] {7}, TIME, null);
        assertTrue(placed.renamed());
        assertEquals("~ck~in%0Avoice/~ck~%2Ecloudkeep-x", placed.storedAs());
        assertEquals(folder.path().resolve(placed.storedAs()), placed.file());
        List<String> lines = Files.readAllLines(folder.path().resolve(".cloudkeep-renamed.jsonl"));
        assertEquals(
                List.of("{\"path\":\"/in\\nvoice/.cloudkeep-x\",\"storedAs\":\"~ck~in%0Avoice/~ck~%2Ecloudkeep-x\"}"),
                lines);
    }

    @Test
    void concurrentCommitsOfDifferentPathsAllLand() throws Exception {
        int threads = 8;
        int perThread = 25;
        // Every thread needs this file moved out of the way, and only one may move it.
        write("/shared", "in the way".getBytes(StandardCharsets.UTF_8), TIME, null);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    String path = "/shared/sub" + (i % 3) + "/deep/f-" + thread + "-" + i;
                    byte[] data = bytes(1000 + i, thread * 1000 + i);
                    Placed placed = write(path, data, TIME, new ContentHash(ContentHash.SHA256, sha256(data)));
                    assertFalse(placed.unchanged());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                Path file = folder.path().resolve("shared/sub" + (i % 3) + "/deep/f-" + t + "-" + i);
                assertArrayEquals(bytes(1000 + i, t * 1000 + i), Files.readAllBytes(file));
            }
        }
        try (Stream<Path> all = Files.walk(folder.path())) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertEquals(threads * perThread + 1, files.size(), "no staging or stray files: " + files);
        }
        Path versions = folder.path().resolve(".cloudkeep-versions");
        assertEquals(List.of("shared~2024-03-05T060708Z"), list(versions));
        assertEquals("in the way", Files.readString(versions.resolve("shared~2024-03-05T060708Z")));
    }

    @Test
    void aFileInTheWayOfManyThreadsIsMovedOnce() throws Exception {
        int threads = 8;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                write("/r" + round, new byte[] {(byte) round}, TIME, null);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Placed>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String path = "/r" + round + "/f" + t;
                    futures.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return write(path, new byte[] {7}, TIME, null);
                    }));
                }
                for (Future<Placed> future : futures) {
                    assertTrue(
                            Files.isRegularFile(future.get(30, TimeUnit.SECONDS).file()));
                }
                assertEquals(threads, list(folder.path().resolve("r" + round)).size());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> versions = list(folder.path().resolve(".cloudkeep-versions"));
        assertEquals(rounds, versions.size(), "each file in the way kept once, nothing else: " + versions);
        for (int round = 0; round < rounds; round++) {
            Path old = folder.path().resolve(".cloudkeep-versions/r" + round + "~2024-03-05T060708Z");
            assertArrayEquals(new byte[] {(byte) round}, Files.readAllBytes(old));
        }
    }

    private Placed write(String path, byte[] data, Instant modified, ContentHash hash) throws IOException {
        try (Incoming in = folder.incoming(path, data.length, modified, hash)) {
            in.resume(0);
            in.append(new ByteArrayInputStream(data), 65_536, n -> {});
            return in.commit();
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha1(byte[] data) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
