package org.cloudkeep.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theLauncherFillsWhatTheConfigurationLeavesEmpty() {
        Settings s = Settings.of(
                config("", "", "AUTO", 4),
                Map.of("cloudkeep.cloud", "http://10.0.0.2:8080/", "cloudkeep.backupRoot", "/mnt/backup")::get,
                Map.of("CLOUDKEEP_DEVICE_TOKEN", "tok")::get,
                2);
        assertEquals(Optional.of(URI.create("http://10.0.0.2:8080")), s.cloud());
        assertEquals(Optional.of("tok"), s.token());
        assertEquals(Path.of("/mnt/backup"), s.backupRoot());
        assertTrue(s.parallel(), "AUTO is parallel on two cores");
        assertTrue(s.backsUp());
    }

    @Test
    void autoIsSerialOnOneCoreAndTheDataFolderHoldsTheDefaultRoot() {
        Settings s = Settings.of(config("", "", "AUTO", 4), Map.of("cloudkeep.data", "/d")::get, k -> null, 1);
        assertFalse(s.parallel());
        assertEquals(Path.of("/d/backup"), s.backupRoot());
        assertFalse(s.backsUp(), "no cloud, no token");
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        IllegalArgumentException url = assertThrows(
                IllegalArgumentException.class,
                () -> Settings.of(config("ftp://x", "", "AUTO", 4), k -> null, k -> null, 2));
        assertTrue(url.getMessage().contains("ftp://x"), url.getMessage());
        IllegalArgumentException mode = assertThrows(
                IllegalArgumentException.class, () -> Settings.of(config("", "", "FAST", 4), k -> null, k -> null, 2));
        assertTrue(mode.getMessage().contains("FAST"), mode.getMessage());
        IllegalArgumentException downloads = assertThrows(
                IllegalArgumentException.class, () -> Settings.of(config("", "", "AUTO", 0), k -> null, k -> null, 2));
        assertTrue(downloads.getMessage().contains("parallelDownloads"), downloads.getMessage());
    }

    private static FetcherConfig config(String cloud, String root, String mode, int parallel) {
        return new FetcherConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FetcherConfig.class;
            }

            @Override
            public String cloudUrl() {
                return cloud;
            }

            @Override
            public String backupRoot() {
                return root;
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public int parallelDownloads() {
                return parallel;
            }

            @Override
            public int reportBatch() {
                return 100;
            }

            @Override
            public int idleSeconds() {
                return 15;
            }

            @Override
            public int attemptsPerFile() {
                return 5;
            }

            @Override
            public int maxRetryAfterSeconds() {
                return 600;
            }

            @Override
            public int checkpointMebibytes() {
                return 8;
            }

            @Override
            public int reserveMebibytes() {
                return 64;
            }

            @Override
            public String freeBytesFile() {
                return "";
            }
        };
    }
}
