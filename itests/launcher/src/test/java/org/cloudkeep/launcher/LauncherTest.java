package org.cloudkeep.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cloudkeep.testing.Plugins;
import org.cloudkeep.testing.RuntimeProcess;
import org.cloudkeep.testing.RuntimeProcess.Finished;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher contract (docs/launcher.md), checked by running {@code ./cloudkeep} itself. */
class LauncherTest {

    private static final Path LAUNCHER = Path.of(System.getProperty("cloudkeep.launcher"));
    private static final Path PROVIDER_JAR = Path.of(System.getProperty("cloudkeep.provider.local.jar"));
    /** Generous bounds so a loaded CI machine does not fail the test; the benchmark measures the real times. */
    private static final Duration START = Duration.ofSeconds(60);

    private static final Duration CHANGE = Duration.ofSeconds(30);

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "cloud --bogus          | unknown flag '--bogus'",
                "cloud --bogus=1        | unknown flag '--bogus'",
                "device --port          | --port needs a value",
                "cloud --port 0         | --port must be a number from 1 to 65535",
                "cloud --port 70000     | --port must be a number from 1 to 65535",
                "cloud --port abc       | --port must be a number from 1 to 65535",
                "cloud --cloud http://x | --cloud is a device flag",
                "device --cloud ftp://x | --cloud must be the cloud's address",
                "device --cloud http://127.0.0.1:1 | --cloud needs --token",
                "device --token bad!token | --token must be the device token",
                "device --backup-root /tmp/x | --backup-root needs --cloud",
                "demo --fast            | unknown flag '--fast' for 'cloudkeep demo'",
                "cloud stray            | unexpected argument 'stray'",
                "backup                 | unknown command 'backup'",
            })
    void refusesBadCommandLinesWithAClearMessage(String args, String message) throws Exception {
        Finished run =
                RuntimeProcess.run(LAUNCHER, Duration.ofSeconds(30), args.trim().split(" +"));
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains(message), run.output());
    }

    @Test
    void saysWhatIsNotAvailableYet() throws Exception {
        Finished run = RuntimeProcess.run(LAUNCHER, Duration.ofSeconds(30), "device", "--sync", "/tmp/sync");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("not available yet"), run.output());
    }

    @Test
    void refusesAPortInUse(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Finished run = RuntimeProcess.run(
                    LAUNCHER,
                    Duration.ofSeconds(30),
                    "cloud",
                    "--port",
                    String.valueOf(taken.getLocalPort()),
                    "--data",
                    data.toString());
            assertEquals(2, run.exitCode(), run.output());
            assertTrue(run.output().contains("port " + taken.getLocalPort() + " is in use"), run.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloud", "device"})
    void runtimeServesHotInstallsAProviderAndStopsCleanly(String runtime, @TempDir Path temp) throws Exception {
        Path data = temp.resolve("data with spaces");
        try (RuntimeProcess process = RuntimeProcess.start(LAUNCHER, runtime, data)) {
            process.awaitHealthy(START);
            JsonNode health = process.health();
            assertEquals("UP", health.get("status").asText());
            assertEquals(runtime, health.get("runtime").asText());
            assertEquals("UP", health.get("database").asText());
            assertTrue(Files.isDirectory(data.resolve("db")), "the database lives in the --data folder");
            assertFalse(process.providerIds().contains("local"));

            Path installed = Plugins.drop(PROVIDER_JAR, process.plugins(), "cloudkeep.provider.local.jar");
            process.await(CHANGE, "the local provider to show in /health", () -> process.providerIds()
                    .contains("local"));

            Files.delete(installed);
            process.await(CHANGE, "the local provider to leave /health", () -> !process.providerIds()
                    .contains("local"));
            assertEquals(200, process.healthStatus(), "still serving after the uninstall");

            int exit = process.stop(Duration.ofSeconds(30));
            assertEquals(143, exit, "ended by SIGTERM\n" + process.log());
            String log = process.log();
            assertTrue(log.contains("Stop requested: stopping all components"), log);
            assertTrue(log.contains("Embedded database at " + data.resolve("db") + " closed"), log);
        }
    }

    @Test
    void dataSurvivesARestart(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("data");
        for (int run = 0; run < 2; run++) {
            try (RuntimeProcess process = RuntimeProcess.start(LAUNCHER, "cloud", data)) {
                process.awaitHealthy(START);
                assertEquals("UP", process.health().get("database").asText(), process.log());
                process.stop(Duration.ofSeconds(30));
                assertFalse(process.log().contains("WARN"), "a clean start and stop\n" + process.log());
            }
        }
    }
}
