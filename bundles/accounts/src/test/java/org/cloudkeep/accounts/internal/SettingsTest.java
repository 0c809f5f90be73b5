package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theKeyFileIsInTheDataFolderUnlessConfigured() {
        assertEquals(Path.of("/etc/ck/key"), Settings.keyFile(" /etc/ck/key ", "/var/ck"));
        assertEquals(Path.of("/var/ck/secret.key"), Settings.keyFile("", "/var/ck"));
        assertEquals(Path.of("data/secret.key"), Settings.keyFile(null, " "));
    }

    @Test
    void aValueOutOfRangeIsNamed() {
        Path key = Path.of("secret.key");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Settings(30, 1000, 24, 999, key));
        assertTrue(e.getMessage().contains("passwordIterations"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Settings(0, 1000, 24, 210_000, key));
        assertThrows(IllegalArgumentException.class, () -> new Settings(30, 100_001, 24, 210_000, key));
        assertThrows(IllegalArgumentException.class, () -> new Settings(30, 1000, 8_761, 210_000, key));
    }
}
