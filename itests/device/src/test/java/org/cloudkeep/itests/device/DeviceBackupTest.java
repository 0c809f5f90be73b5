package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole backup job with a real cloud runtime and a real device runtime. */
class DeviceBackupTest {

    @TempDir
    Path dir;

    @Test
    void parallelModeBacksUpTwoContainersByteForByte() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path a = Trees.mixed(dir.resolve("src-a"), 1, 40, 200_000);
            Trees.write(a, "big/three-megabytes.bin", Trees.bytes(99, 3 << 20));
            Path b = Trees.mixed(dir.resolve("src-b"), 2, 25, 50_000);
            long ca = rig.container(rig.localAccount(a), 7);
            long cb = rig.container(rig.localAccount(b), 7);

            rig.startDevice(Map.of("mode", "PARALLEL", "parallelDownloads", "3"));
            rig.awaitBackedUp(ca, cb);

            assertEquals(41, Trees.assertSameFiles(a, rig.folderOf(ca)));
            assertEquals(25, Trees.assertSameFiles(b, rig.folderOf(cb)));
            assertEquals(List.of(), Trees.partials(rig.backupRoot));
            JsonNode status = rig.deviceStatus();
            assertEquals("ACTIVE", status.get("state").asText(), status.toString());
            assertEquals("PARALLEL", status.get("mode").asText());
            assertEquals(66, status.get("downloadedFiles").asLong(), status.toString());
            assertEquals(66, status.get("fetchedFiles").asLong(), status.toString());
            // Parallel: both containers had a group in hand before either finished its first one.
            String log = rig.device.log();
            int firstDone = log.indexOf(" done (");
            assertTrue(firstDone > 0, log);
            assertTrue(log.indexOf("Container " + ca + ": group 1,") < firstDone, log);
            assertTrue(log.indexOf("Container " + cb + ": group 1,") < firstDone, log);
        }
    }

    @Test
    void serialModeFetchesOneContainerAfterTheOther() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path a = Trees.mixed(dir.resolve("src-a"), 3, 20, 20_000);
            Path b = Trees.mixed(dir.resolve("src-b"), 4, 20, 20_000);
            long ca = rig.container(rig.localAccount(a), 5);
            long cb = rig.container(rig.localAccount(b), 5);

            rig.startDevice(Map.of("mode", "SERIAL"));
            rig.awaitBackedUp(ca, cb);

            assertEquals(20, Trees.assertSameFiles(a, rig.folderOf(ca)));
            assertEquals(20, Trees.assertSameFiles(b, rig.folderOf(cb)));
            assertEquals("SERIAL", rig.deviceStatus().get("mode").asText());
            String log = rig.device.log();
            long groupsOfA = rig.container(ca).get("groups").asLong();
            assertTrue(groupsOfA > 1, "several groups");
            int lastOfA = log.lastIndexOf("Container " + ca + ": group " + groupsOfA + " done");
            int firstOfB = log.indexOf("Container " + cb + ": group 1,");
            assertTrue(lastOfA > 0 && firstOfB > lastOfA, "every group of the first container came first:\n" + log);
        }
    }

    @Test
    void aRegroupedSnapshotAnswersOkFalseAndTheDeviceAsksAgain() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            for (int i = 0; i < 30; i++) {
                Trees.write(source, "slow/file-" + i + ".bin", Trees.bytes(i, 40_000));
            }
            long account = rig.account("slow", Map.of("root", source.toString(), "bytesPerSecond", "80000"));
            long id = rig.container(account, 5);
            rig.startDevice(Map.of("mode", "SERIAL"));
            rig.device.await(
                    Rig.BACKUP,
                    "the first files of group 1 reported",
                    () -> Rig.quietly(() -> rig.container(id))
                                    .get("fetchedFiles")
                                    .asLong()
                            >= 1);

            // 300 new names shift every group boundary: the group in hand is no longer group 1.
            for (int i = 0; i < 300; i++) {
                Trees.write(source, "new/n-" + i + ".txt", ("new " + i).getBytes(StandardCharsets.UTF_8));
            }
            rig.retraverse(id);
            rig.awaitBackedUp(id);

            assertEquals(330, Trees.assertSameFiles(source, rig.folderOf(id)));
            assertTrue(rig.device.log().contains("the cloud regrouped"), rig.device.log());
        }
    }

    @Test
    void goesInactiveWhenFreeSpaceDropsAndResumesWhenItRises() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            long id = slowBackupUnderWay(rig, source, 12, 4, 2);

            rig.free(100L << 20); // 100 MiB, below the cloud's 1 GiB threshold
            rig.device.await(
                    Duration.ofSeconds(30),
                    "the device INACTIVE",
                    () -> Rig.quietly(rig::deviceStatus).get("state").asText().equals("INACTIVE"));
            long fetched = rig.container(id).get("fetchedFiles").asLong();
            assertTrue(fetched < 12, "still files to fetch when the space ran low");
            Thread.sleep(3_000); // several of the cloud's 1 s rechecks
            assertEquals(fetched, rig.container(id).get("fetchedFiles").asLong(), "nothing fetched while INACTIVE");
            assertEquals("INACTIVE", rig.deviceStatus().get("state").asText());
            assertEquals(List.of(), Trees.partials(rig.backupRoot), "the dropped group's partial download is gone");

            rig.free(500L << 30);
            rig.awaitBackedUp(id);
            assertEquals(12, Trees.assertSameFiles(source, rig.folderOf(id)));
            assertEquals("ACTIVE", rig.deviceStatus().get("state").asText());
            assertTrue(rig.device.log().contains("ACTIVE again"), rig.device.log());
        }
    }

    @Test
    void anUnreachableCloudIsWaitedOut() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            long id = slowBackupUnderWay(rig, source, 10, 3, 1);

            rig.stopCloud();
            rig.device.await(Duration.ofSeconds(60), "the device to notice", () -> Rig.quietly(rig::deviceStatus)
                    .get("activity")
                    .asText()
                    .equals("CLOUD_UNREACHABLE"));
            Thread.sleep(3_000); // a few of its retries
            assertTrue(rig.device.alive(), "the device keeps running without its cloud");

            rig.restartCloud();
            rig.awaitBackedUp(id);
            assertEquals(10, Trees.assertSameFiles(source, rig.folderOf(id)));
        }
    }

    @Test
    void killedMidDownloadTheDeviceResumesAndNoPartialFileIsEverVisible() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            byte[] big = Trees.bytes(7, 12 << 20);
            Trees.write(source, "big.bin", big);
            for (int i = 0; i < 6; i++) {
                Trees.write(source, "small-" + i + ".bin", Trees.bytes(100 + i, 50_000));
            }
            long account = rig.account("slow", Map.of("root", source.toString(), "bytesPerSecond", "2000000"));
            long id = rig.container(account, 100);
            Path folder = rig.folderOf(id);
            try (FinalNameWatcher watcher = new FinalNameWatcher(source, folder)) {
                rig.startDevice(Map.of("mode", "SERIAL"));
                rig.device.await(
                        Rig.BACKUP,
                        "big.bin half downloaded",
                        () -> Rig.quietly(() -> {
                            List<Path> parts = Trees.partials(folder);
                            for (Path part : parts) {
                                if (Files.size(part) >= 4 << 20) {
                                    return true;
                                }
                            }
                            return false;
                        }));
                rig.device.kill();
                assertFalse(Files.exists(folder.resolve("big.bin")), "big.bin was not finished when the device died");

                rig.startDevice(Map.of("mode", "SERIAL"));
                rig.awaitBackedUp(id);

                assertEquals(7, Trees.assertSameFiles(source, folder));
                assertEquals(List.of(), watcher.violations(), "partial files seen under final names");
                assertTrue(watcher.looks() > 50, "the watcher looked " + watcher.looks() + " times");
            }
            assertTrue(
                    rig.device.log().matches("(?s).*resuming /big\\.bin at byte [1-9][0-9]{6,}.*"),
                    "the download resumed from a checkpoint:\n" + rig.device.log());
        }
    }

    @Test
    void deletedFilesStayAndChangedFilesKeepTheirEarlierVersion() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            Trees.write(source, "docs/keep.txt", "keep".getBytes(StandardCharsets.UTF_8));
            Trees.write(source, "docs/deleted.txt", "deleted at the source".getBytes(StandardCharsets.UTF_8));
            Path changed = Trees.write(source, "docs/changed.txt", "first version".getBytes(StandardCharsets.UTF_8));
            Files.setLastModifiedTime(changed, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
            long id = rig.container(rig.localAccount(source), 10);
            rig.startDevice(Map.of());
            rig.awaitBackedUp(id);
            long downloaded = rig.deviceStatus().get("downloadedFiles").asLong();
            assertEquals(3, downloaded);

            Files.delete(source.resolve("docs/deleted.txt"));
            Files.writeString(changed, "second version, longer");
            Trees.write(source, "docs/new.txt", "new".getBytes(StandardCharsets.UTF_8));
            JsonNode merged = rig.retraverse(id);
            assertEquals(1, merged.get("lastTraversal").get("added").asLong(), merged.toString());
            // changed.txt, and its folder (whose modified time moved with the delete and the add)
            assertEquals(2, merged.get("lastTraversal").get("changed").asLong(), merged.toString());
            assertEquals(1, merged.get("lastTraversal").get("removed").asLong(), merged.toString());
            rig.awaitBackedUp(id);
            rig.device.await(
                    Duration.ofSeconds(30),
                    "two more downloads",
                    () -> Rig.quietly(rig::deviceStatus).get("downloadedFiles").asLong() == downloaded + 2);

            Path folder = rig.folderOf(id);
            assertEquals("deleted at the source", Files.readString(folder.resolve("docs/deleted.txt")));
            assertEquals("second version, longer", Files.readString(folder.resolve("docs/changed.txt")));
            assertEquals("new", Files.readString(folder.resolve("docs/new.txt")));
            Path version = folder.resolve(".cloudkeep-versions/docs/changed.txt~2023-11-14T221320Z");
            assertEquals("first version", Files.readString(version), "the earlier version is kept with its date");
            assertEquals(3, Trees.assertSameFiles(source, folder));
        }
    }

    @Test
    void aFileGoneAtTheProviderBeforeItIsFetchedDoesNotStallTheContainer() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = Trees.mixed(dir.resolve("src"), 5, 30, 10_000);
            long id = rig.container(rig.localAccount(source), 4);
            // Listed by the traversal, deleted before the device comes: the provider answers NotFound.
            Path gone = Trees.files(source).get(0);
            byte[] goneBytes = Files.readAllBytes(gone);
            Files.delete(gone);

            rig.startDevice(Map.of("mode", "SERIAL"));
            rig.device.await(Rig.BACKUP, "every other file fetched, the gone one reported missing", () -> {
                JsonNode c = Rig.quietly(() -> rig.container(id));
                return c.get("fetchedFiles").asLong() == 29
                        && c.get("missingFiles").asLong() == 1;
            });
            assertEquals(29, Trees.assertSameFiles(source, rig.folderOf(id)));

            // It comes back: the next traversal hands it out again, and it is fetched.
            Files.write(gone, goneBytes);
            rig.retraverse(id);
            rig.awaitBackedUp(id);
            assertEquals(30, Trees.assertSameFiles(source, rig.folderOf(id)));
            assertEquals(0, rig.container(id).get("missingFiles").asLong());
        }
    }

    @Test
    void hostileAndAwkwardNamesStayInsideTheBackupRoot() throws Exception {
        try (Rig rig = new Rig(dir)) {
            Path source = dir.resolve("src");
            String nfc = Normalizer.normalize("café.txt", Normalizer.Form.NFC);
            String nfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
            List<String> names = List.of(
                    "line\nbreak.txt",
                    "control\u0001char.txt",
                    "back\\slash.txt",
                    "~ck~trap.txt",
                    ".cloudkeep-versions/fake.txt",
                    ".cloudkeep-renamed.jsonl",
                    nfc,
                    nfd,
                    "n".repeat(246) + ".txt",
                    "-dash.txt",
                    "emoji \uD83D\uDE00.txt",
                    "percent %41.txt");
            for (int i = 0; i < names.size(); i++) {
                Trees.write(source, names.get(i), ("content " + i).getBytes(StandardCharsets.UTF_8));
            }
            long id = rig.container(rig.localAccount(source), 5);
            rig.startDevice(Map.of());
            rig.awaitBackedUp(id);

            Path folder = rig.folderOf(id);
            assertEquals(names.size(), Trees.assertSameFiles(source, folder));
            Map<String, String> renamed = Trees.renamed(folder);
            for (String hostile : List.of(
                    "/line\nbreak.txt",
                    "/control\u0001char.txt",
                    "/~ck~trap.txt",
                    "/.cloudkeep-versions/fake.txt",
                    "/.cloudkeep-renamed.jsonl")) {
                assertTrue(renamed.containsKey(hostile), "recorded as renamed: " + hostile + " in " + renamed);
            }
            // Names the file system can hold are kept byte for byte, NFC and NFD apart.
            assertEquals("content 6", Files.readString(folder.resolve(nfc)));
            assertEquals("content 7", Files.readString(folder.resolve(nfd)));
            assertEquals("content 2", Files.readString(folder.resolve("back\\slash.txt")));
            // Nothing outside the backup root: the test folder holds only what the test made.
            try (Stream<Path> top = Files.list(dir)) {
                assertEquals(
                        List.of("backup", "cloud", "device", "free-bytes", "src"),
                        top.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    /**
     * A serial backup of {@code files} files of 100 kB behind the {@code slow} provider (about two
     * files a second), waited for until {@code fetched} of them are reported.
     *
     * @return the container's id
     */
    private static long slowBackupUnderWay(Rig rig, Path source, int files, int groupSize, int fetched)
            throws Exception {
        for (int i = 0; i < files; i++) {
            Trees.write(source, "f-" + i + ".bin", Trees.bytes(i, 100_000));
        }
        long account = rig.account("slow", Map.of("root", source.toString(), "bytesPerSecond", "200000"));
        long id = rig.container(account, groupSize);
        rig.startDevice(Map.of("mode", "SERIAL"));
        rig.device.await(
                Rig.BACKUP,
                fetched + " file(s) fetched",
                () -> Rig.quietly(() -> rig.container(id)).get("fetchedFiles").asLong() >= fetched);
        return id;
    }
}
