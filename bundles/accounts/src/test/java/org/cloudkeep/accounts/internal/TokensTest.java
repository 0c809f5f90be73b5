package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    private final Tokens tokens = new Tokens(new SecureRandom());

    @Test
    void aTokenIs32RandomBytesInBase64Url() {
        String token = tokens.newToken();

        assertEquals(43, token.length());
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        assertTrue(Tokens.wellFormed(token));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertTrue(seen.add(tokens.newToken()), "tokens repeat");
        }
    }

    @Test
    void theStoredFormIsTheLowerCaseHexSha256() {
        // SHA-256("abc"), the FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.hash("abc"));
    }

    @Test
    void onlyOurShapeIsLookedUp() {
        assertFalse(Tokens.wellFormed(null));
        assertFalse(Tokens.wellFormed(""));
        assertFalse(Tokens.wellFormed("a".repeat(42)));
        assertFalse(Tokens.wellFormed("a".repeat(44)));
        assertFalse(Tokens.wellFormed("a".repeat(42) + "="));
        assertFalse(Tokens.wellFormed("a".repeat(42) + "+"));
        assertTrue(Tokens.wellFormed("a".repeat(41) + "-_"));
    }
}
