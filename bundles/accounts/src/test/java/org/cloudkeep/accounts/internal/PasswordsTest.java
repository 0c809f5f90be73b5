package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords(1_000, new SecureRandom());

    @Test
    void theDefaultsAreTheRecommendedOnes() {
        assertEquals(210_000, Passwords.DEFAULT_ITERATIONS);
        String hash = new Passwords(Passwords.DEFAULT_ITERATIONS, new SecureRandom()).hash("password".toCharArray());
        String[] parts = hash.split("\\$");
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("210000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "16-byte salt");
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length, "256-bit key");
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = passwords.hash("correct horse".toCharArray());

        assertTrue(passwords.verify("correct horse".toCharArray(), hash));
        assertFalse(passwords.verify("correct horsE".toCharArray(), hash));
        assertFalse(passwords.verify("".toCharArray(), hash));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        String a = passwords.hash("same password".toCharArray());
        String b = passwords.hash("same password".toCharArray());

        assertNotEquals(a, b);
        assertTrue(passwords.verify("same password".toCharArray(), b));
    }

    @Test
    void aHashKeepsItsIterationCount() {
        String old = passwords.hash("long-lived".toCharArray());
        Passwords stronger = new Passwords(5_000, new SecureRandom());

        assertTrue(stronger.verify("long-lived".toCharArray(), old), "an older, cheaper hash still verifies");
        assertTrue(stronger.outdated(old));
        assertFalse(stronger.outdated(stronger.hash("long-lived".toCharArray())));
        assertFalse(passwords.outdated(old));
    }

    @Test
    void refusesWhatIsNotOneOfItsHashes() {
        assertThrows(IllegalArgumentException.class, () -> passwords.verify("x".toCharArray(), "plain text"));
        assertThrows(IllegalArgumentException.class, () -> passwords.verify("x".toCharArray(), null));
        assertThrows(
                IllegalArgumentException.class,
                () -> passwords.verify("x".toCharArray(), "pbkdf2-sha256$abc$AAAA$AAAA"));
        assertThrows(
                IllegalArgumentException.class, () -> passwords.verify("x".toCharArray(), "bcrypt$1000$AAAA$AAAA"));
        assertThrows(IllegalArgumentException.class, () -> new Passwords(999, new SecureRandom()));
    }

    @Test
    void leavesThePasswordArrayAsItWas() {
        char[] password = "kept for the caller".toCharArray();
        passwords.verify(password, passwords.hash(password));
        passwords.burn(password);

        assertEquals("kept for the caller", new String(password), "clearing is the caller's job");
    }
}
