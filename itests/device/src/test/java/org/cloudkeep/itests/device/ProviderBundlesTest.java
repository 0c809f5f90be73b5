package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every provider bundle of this repository — and the third-party example of
 * docs/provider-guide.md — resolves and registers in both runtimes when its jar is dropped into the
 * plugins folder, with nothing else installed beside it.
 */
class ProviderBundlesTest {

    @TempDir
    Path dir;

    @Test
    void everyProviderJarIsHotInstalledIntoBothRuntimes() throws Exception {
        Map<String, Path> jars = new TreeMap<>();
        for (String id : new String[] {"webdav", "s3", "sftp", "dropbox", "baidu", "example"}) {
            jars.put(id, ServerBackupTest.jar(id));
        }
        // Rig waits until every one of them is registered, in the cloud and then on the device.
        try (Rig rig = new Rig(dir, jars)) {
            rig.startDevice(Map.of());
            JsonNode providers = rig.api.get("/api/v1/providers", null).json();
            Map<String, JsonNode> byId = new TreeMap<>();
            providers.forEach(p -> byId.put(p.get("id").asText(), p));
            assertTrue(byId.keySet().containsAll(jars.keySet()), byId.keySet().toString());
            assertEquals(
                    "[\"dropbox-content-hash\"]",
                    byId.get("dropbox").get("hashes").toString());
            assertEquals("[]", byId.get("sftp").get("hashes").toString(), "SFTP has no hash");
            JsonNode password = field(byId.get("sftp"), "password");
            assertTrue(
                    password.get("secret").asBoolean()
                            && password.get("optional").asBoolean(),
                    password.toString());
        }
    }

    private static JsonNode field(JsonNode provider, String name) {
        for (JsonNode field : provider.get("credentials")) {
            if (field.get("name").asText().equals(name)) {
                return field;
            }
        }
        throw new AssertionError("no credential field " + name + " in " + provider);
    }
}
