package org.cloudkeep.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cloudkeep.demo.SampleAccounts.Account;
import org.cloudkeep.demo.SampleAccounts.Changes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAccountsTest {

    @TempDir
    Path temp;

    @Test
    void theSameAccountsEveryTimeInTheAdvertisedShape() throws Exception {
        Account photos = SampleAccounts.photos(temp.resolve("photos"));
        Account documents = SampleAccounts.documents(temp.resolve("documents"));
        assertEquals(120, photos.files().size());
        assertEquals(250, documents.files().size());
        assertEquals(120, regularFiles(photos.root()).size());
        assertEquals(250, regularFiles(documents.root()).size(), "NFC and NFD are two files");
        assertTrue(photos.empty() >= 2, "a few empty photos");
        long total = photos.bytes() + documents.bytes();
        assertTrue(total > 60_000_000 && total < 80_000_000, "60-80 MB: " + total);
        for (long size : photos.files().values()) {
            assertTrue(size == 0 || (size >= 5_000 && size <= 3_000_000), "photo size " + size);
        }
        for (long size : documents.files().values()) {
            assertTrue(size >= 100 && size <= 200_000, "document size " + size);
        }
        for (String name : SampleAccounts.AWKWARD) {
            assertTrue(Files.isRegularFile(SampleAccounts.file(documents.root(), "/" + name)), name);
        }

        Account again = SampleAccounts.photos(temp.resolve("photos-again"));
        assertEquals(photos.files(), again.files());
        String first = photos.files().keySet().stream()
                .filter(p -> photos.files().get(p) > 0)
                .findFirst()
                .orElseThrow();
        assertEquals(
                SampleAccounts.sha256(SampleAccounts.file(photos.root(), first)),
                SampleAccounts.sha256(SampleAccounts.file(again.root(), first)),
                "seeded content");
    }

    @Test
    void changesThreeAddsFiveDeletesFour() throws Exception {
        Account documents = SampleAccounts.documents(temp.resolve("documents"));
        Changes changes = SampleAccounts.change(documents);
        assertEquals(3, changes.changed().size());
        assertEquals(5, changes.added().size());
        assertEquals(4, changes.deleted().size());
        for (var changed : changes.changed().entrySet()) {
            assertNotEquals(
                    changed.getValue(), SampleAccounts.sha256(SampleAccounts.file(documents.root(), changed.getKey())));
        }
        for (String deleted : changes.deleted().keySet()) {
            assertTrue(!Files.exists(SampleAccounts.file(documents.root(), deleted)), deleted);
            assertTrue(!changes.changed().containsKey(deleted), deleted);
        }
        assertEquals(251, regularFiles(documents.root()).size());
        assertEquals(251, documents.files().size());
    }

    private static List<Path> regularFiles(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
