package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cloudkeep.itests.servers.RcloneWebdavServer;
import org.cloudkeep.testing.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider plugin is hot-installed into running cloud and device runtimes while a backup runs,
 * and uninstalled from the device in the middle of its downloads: the downloads in flight end with a
 * clear error, nothing is counted fetched that is not in place, and the backup completes once the
 * bundle is back — all without a restart.
 */
class HotInstallTest {

    private static final int DAV_FILES = 12;

    @TempDir
    Path dir;

    @Test
    void aProviderInstalledMidBackupAndUninstalledMidDownloadLosesNothing() throws Exception {
        Path localSource = dir.resolve("local-source");
        for (int i = 0; i < 20; i++) {
            Trees.write(localSource, "slow/file-" + i + ".bin", Trees.bytes(i, 40_000));
        }
        Path davSource = dir.resolve("dav-source");
        for (int i = 0; i < DAV_FILES; i++) {
            Trees.write(davSource, "dav/part-" + i + ".bin", Trees.bytes(100 + i, 1 << 20));
        }
        Path webdavJar = ServerBackupTest.jar("webdav");
        // 2 MiB/s in all: a 1 MiB file takes long enough to be caught mid-download.
        try (RcloneWebdavServer server = RcloneWebdavServer.start(
                        davSource,
                        Files.createDirectories(dir.resolve("rclone")),
                        "ann",
                        "dav-secret",
                        List.of("--bwlimit", "2M"));
                Rig rig = new Rig(dir.resolve("rig"))) {
            long local = rig.container(
                    rig.account("slow", Map.of("root", localSource.toString(), "bytesPerSecond", "30000")), 5);
            rig.startDevice(Map.of("mode", "PARALLEL", "parallelDownloads", "3"));
            Path devicePlugins = rig.deviceData.resolve("plugins");

            // Installed into both runtimes while the local backup runs.
            Plugins.drop(webdavJar, rig.cloud.plugins(), "webdav.jar");
            Plugins.drop(webdavJar, devicePlugins, "webdav.jar");
            awaitProvider(rig, true);
            assertTrue(
                    rig.container(local).get("fetchedFiles").asLong() < 20,
                    "the local backup is still running while the provider arrives");
            long dav = rig.container(
                    rig.account(
                            "webdav",
                            Map.of("url", server.url().toString(), "username", "ann", "password", "dav-secret")),
                    4);

            // Uninstalled from the device while its files are in flight.
            rig.device.await(Rig.BACKUP, "a WebDAV download in flight", () -> !Rig.quietly(
                            () -> Trees.partials(rig.folderOf(dav)))
                    .isEmpty());
            Files.delete(devicePlugins.resolve("webdav.jar"));
            rig.device.await(
                    Duration.ofSeconds(60),
                    "the device to say the provider left mid-download",
                    () -> rig.device.log().contains("'webdav' was uninstalled from this device during the download"));
            rig.device.await(Duration.ofSeconds(30), "the provider gone from the device", () -> !rig.device
                    .providerIds()
                    .contains("webdav"));

            JsonNode container = rig.container(dav);
            long fetched = container.get("fetchedFiles").asLong();
            assertTrue(fetched < DAV_FILES, "the backup stopped short: " + container);
            // Nothing is counted fetched that is not in place, complete and identical (a file placed just
            // now may not be reported yet: more may be in place than counted, never fewer).
            long inPlace = completeAndIdentical(davSource, rig.folderOf(dav));
            assertTrue(fetched <= inPlace, "counted fetched " + fetched + ", in place " + inPlace);
            JsonNode status = rig.deviceStatus();
            assertTrue(status.toString().contains("was uninstalled"), status.toString());

            // Back again: the backup completes, byte for byte.
            Plugins.drop(webdavJar, devicePlugins, "webdav.jar");
            rig.awaitBackedUp(local, dav);
            assertEquals(DAV_FILES, Trees.assertSameFiles(davSource, rig.folderOf(dav)));
            assertEquals(20, Trees.assertSameFiles(localSource, rig.folderOf(local)));
            assertEquals(List.of(), Trees.partials(rig.backupRoot));
        }
    }

    private static void awaitProvider(Rig rig, boolean installed) throws Exception {
        rig.cloud.await(
                Duration.ofSeconds(30),
                "webdav in the cloud",
                () -> rig.cloud.providerIds().contains("webdav") == installed);
        rig.device.await(
                Duration.ofSeconds(30),
                "webdav on the device",
                () -> rig.device.providerIds().contains("webdav") == installed);
    }

    /**
     * How many files are under their final names; each must be complete and identical to its
     * source (no partial file is ever visible under a final name).
     */
    private static long completeAndIdentical(Path source, Path containerFolder) throws Exception {
        long count = 0;
        for (Path file : Trees.files(source)) {
            Path backup = containerFolder.resolve(source.relativize(file).toString());
            if (Files.exists(backup)) {
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(backup), backup.toString());
                count++;
            }
        }
        return count;
    }
}
