package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cloudkeep.accounts.AccountsException;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void usernamesAreTrimmedAndComposed() throws Exception {
        assertEquals("ann", Validation.username("  ann\t"));
        // "é" typed as e + combining acute is stored as the single character é
        assertEquals("jos\u00e9", Validation.username("jose\u0301"));
        assertEquals(Validation.username("jos\u00e9"), Validation.username("jose\u0301"));
    }

    @Test
    void controlCharactersAreRefusedWhereverTheyAre() {
        for (String bad : List.of("a\u0000b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u2028b")) {
            AccountsException e = assertThrows(AccountsException.class, () -> Validation.text("label", bad, 128), bad);
            assertTrue(e.getMessage().contains("control characters"), e.getMessage());
        }
    }

    @Test
    void aFolderCoversOnlyWhatIsBelowIt() {
        assertTrue(Validation.covers("/", "/a"));
        assertTrue(Validation.covers("/a", "/a/b"));
        assertFalse(Validation.covers("/a", "/ab"));
        assertFalse(Validation.covers("/a", "/a"));
        assertFalse(Validation.covers("/a/b", "/a"));
    }

    @Test
    void foldersKeepTheirOrderWithoutRepeats() throws Exception {
        assertEquals(List.of("/b", "/a"), Validation.folders(List.of("/b", "/a", "/b", "/a/x")));
        assertEquals(List.of("/"), Validation.folders(List.of("/", "/")));
    }

    @Test
    void unsetNumbersTakeTheDefaults() throws Exception {
        assertEquals(500, Validation.groupSize(null, 500));
        assertEquals(12, Validation.traverseEveryHours(null, 12));
        assertEquals(7, Validation.groupSize(7, 500));
    }
}
