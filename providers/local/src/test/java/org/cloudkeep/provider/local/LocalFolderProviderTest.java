package org.cloudkeep.provider.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderProviderTest {

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello");
    }

    @Test
    void descriptorOffersOneFolderFieldSha256AndRangedReads() {
        ProviderDescriptor descriptor = new LocalFolderProvider().descriptor();

        assertEquals("local", descriptor.id());
        assertEquals("Local folder", descriptor.displayName());
        assertEquals(List.of(new CredentialField("root", "Folder", false)), descriptor.credentials());
        assertEquals(List.of(ContentHash.SHA256), descriptor.hashAlgorithms());
        assertEquals(Set.of(Capability.RANGED_READS), descriptor.capabilities());
    }

    @Test
    void connectsToAnExistingFolder() throws Exception {
        try (ProviderSession session = Drives.connect(root)) {
            assertEquals(List.of("hello.txt"), Drives.names(Drives.listAll(session, "/")));
        }
    }

    @Test
    void connectsThroughALinkToTheFolder() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-root"), root);

        try (ProviderSession session = Drives.connect(link)) {
            assertEquals(List.of("hello.txt"), Drives.names(Drives.listAll(session, "/")));
        }
    }

    @Test
    void refusesAMissingOrBlankFolder() {
        LocalFolderProvider provider = new LocalFolderProvider();
        Map<String, String> blank = Map.of("root", "   ");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("root", null);

        for (Map<String, String> credentials : List.of(Map.<String, String>of(), blank, nullValue)) {
            BadCredentialsException e =
                    assertThrows(BadCredentialsException.class, () -> provider.connect(credentials));
            assertTrue(e.getMessage().contains("No folder given"), e.getMessage());
        }
        assertThrows(BadCredentialsException.class, () -> provider.connect(null));
    }

    @Test
    void refusesARelativeFolderSayingWhy() {
        BadCredentialsException e = assertThrows(
                BadCredentialsException.class, () -> new LocalFolderProvider().connect(Map.of("root", "some/folder")));

        assertTrue(e.getMessage().contains("'some/folder'"), e.getMessage());
        assertTrue(e.getMessage().contains("relative"), e.getMessage());
    }

    @Test
    void refusesAFolderThatDoesNotExistSayingWhich() {
        Path missing = tmp.resolve("no-such-folder");

        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> Drives.connect(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void refusesAFileAsFolder() {
        Path file = root.resolve("hello.txt");

        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> Drives.connect(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void sessionsOfTwoFoldersStayApart() throws Exception {
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("other.txt"), "other");
        LocalFolderProvider provider = new LocalFolderProvider();

        try (ProviderSession first = provider.connect(Map.of("root", root.toString()));
                ProviderSession second = provider.connect(Map.of("root", other.toString()))) {
            assertEquals(List.of("hello.txt"), Drives.names(Drives.listAll(first, "/")));
            assertEquals(List.of("other.txt"), Drives.names(Drives.listAll(second, "/")));
        }
    }
}
