package org.cloudkeep.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a b/c", "/日本語/😀.txt", "/a/.hidden", "/a/..b", "/tab\there"})
    void acceptsPathsThatStayInside(String path) {
        assertEquals(path, EntryPaths.normalize(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/b", "/..", "/a/../b", "/a/./b", "/a//b", "/a/", "/nul\0name", "/.."})
    void refusesPathsThatCouldClimbOutOrAreAmbiguous(String path) {
        assertThrows(IllegalArgumentException.class, () -> EntryPaths.normalize(path));
    }

    @Test
    void childRefusesNamesWithSeparatorsOrDots() {
        assertEquals("/x", EntryPaths.child("/", "x"));
        assertEquals("/a/x", EntryPaths.child("/a", "x"));
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0"}) {
            assertThrows(IllegalArgumentException.class, () -> EntryPaths.child("/a", bad), bad);
        }
    }

    @Test
    void keepsNfcAndNfdFormsApart() {
        String nfc = Normalizer.normalize("/café", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("/café", Normalizer.Form.NFD);
        assertNotEquals(nfc, EntryPaths.normalize(nfd));
        assertEquals(nfd, EntryPaths.normalize(nfd));
    }

    @Test
    void splitsAndJoins() {
        assertArrayEquals(new String[] {"a", "b"}, EntryPaths.names("/a/b"));
        assertArrayEquals(new String[0], EntryPaths.names("/"));
        assertEquals("/a", EntryPaths.parent("/a/b"));
        assertEquals("/", EntryPaths.parent("/a"));
        assertEquals("b", EntryPaths.name("/a/b"));
    }

    @Test
    void printableShowsControlCharacters() {
        assertEquals("/a\\u000ab", EntryPaths.printable("/a\nb"));
    }

    @Test
    void descriptorRefusesBadIds() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ProviderDescriptor(
                        "Bad Id", "x", java.util.List.of(), java.util.List.of(), java.util.Set.of()));
    }
}
