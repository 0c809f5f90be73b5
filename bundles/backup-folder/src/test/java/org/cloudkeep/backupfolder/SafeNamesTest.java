package org.cloudkeep.backupfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a.txt",
                "back\\slash",
                "with spaces ",
                " leading space",
                "-rf",
                "emoji \uD83D\uDE00",
                "50% off",
                "tilde~name",
                "~ck",
                "ck~",
                ".hidden",
                "..dots",
                "...",
                ".cloudkee",
                "x.cloudkeep",
                "\u4E2D\u6587"
            })
    void safeNamesAreKeptByteExact(String name) {
        assertTrue(SafeNames.isSafe(name), name);
        assertSame(name, SafeNames.encode(name));
        assertEquals(Optional.of(name), SafeNames.decode(name));
    }

    @Test
    void portableRulesEncodeWhatFatAndNtfsRefuse() {
        for (String name : new String[] {
            "a:b",
            "star*",
            "q?",
            "\"quoted\"",
            "<in>",
            "pipe|",
            "back\\slash",
            "dot.",
            "space ",
            "CON",
            "con.txt",
            "LPT9",
            "Com1.log",
            "nul"
        }) {
            assertTrue(SafeNames.isSafe(name), name + " is fine on Linux");
            assertFalse(SafeNames.isSafe(name, true), name);
            String stored = SafeNames.encode(name, true);
            assertTrue(storableOnFat(stored), stored);
            assertEquals(Optional.of(name), SafeNames.decode(stored), stored);
        }
        for (String name : new String[] {"CONSOLE", "com10", "a.b", "50% off", "-rf", "\u4E2D\u6587"}) {
            assertTrue(SafeNames.isSafe(name, true), name);
            assertSame(name, SafeNames.encode(name, true));
        }
    }

    @Test
    void nfcAndNfdStayTwoNames() {
        String nfc = Normalizer.normalize("caf\u00E9", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("caf\u00E9", Normalizer.Form.NFD);
        assertNotEquals(nfc, nfd);
        assertEquals(nfc, SafeNames.encode(nfc));
        assertEquals(nfd, SafeNames.encode(nfd));
        assertNotEquals(SafeNames.encode(nfc), SafeNames.encode(nfd));
    }

    @Test
    void unsafeNamesGetTheseExactForms() {
        Map<String, String> expected = new HashMap<>();
        expected.put("", "~ck~");
        expected.put(".", "~ck~%2E");
        expected.put("..", "~ck~%2E.");
        expected.put("a\nb", "~ck~a%0Ab");
        expected.put("\u0000", "~ck~%00");
        expected.put("\u0001x", "~ck~%01x");
        expected.put("del\u007F", "~ck~del%7F");
        expected.put(".cloudkeep-versions", "~ck~%2Ecloudkeep-versions");
        expected.put(".CloudKeep-part-1", "~ck~%2ECloudKeep-part-1");
        expected.put("~ck~abc", "~ck~%7Eck%7Eabc");
        expected.put("100%\n", "~ck~100%25%0A");
        expected.put("a\uD800b", "~ck~a%uD800b");
        expected.put("\uDC00", "~ck~%uDC00");
        expected.put("a/b", "~ck~a%2Fb");
        expected.forEach((name, stored) -> {
            assertFalse(SafeNames.isSafe(name), name);
            assertEquals(stored, SafeNames.encode(name), name);
            assertEquals(Optional.of(name), SafeNames.decode(stored), stored);
            assertStorable(stored);
        });
    }

    @Test
    void safeAtExactly255BytesAndShortenedAt256() {
        String euros = "\u20AC".repeat(85); // 3 bytes each: 255
        assertEquals(255, bytes(euros));
        assertTrue(SafeNames.isSafe(euros));
        assertEquals(euros, SafeNames.encode(euros));

        String tooLong = euros + "a"; // 256
        String stored = SafeNames.encode(tooLong);
        assertStorable(stored);
        assertTrue(stored.startsWith(SafeNames.MARK));
        assertTrue(stored.matches("~ck~\u20AC+~[0-9a-f]{16}"), stored);
        assertTrue(bytes(stored) <= 255 && bytes(stored) >= 253, "cut at a code point: " + bytes(stored));
        assertEquals(Optional.empty(), SafeNames.decode(stored), "only the manifest can reverse it");
    }

    @Test
    void anEscapedNameThatJustFitsIsNotShortened() {
        String fits = "\n" + "a".repeat(248); // "~ck~%0A" + 248 = 255 bytes
        String stored = SafeNames.encode(fits);
        assertEquals(255, bytes(stored));
        assertEquals(Optional.of(fits), SafeNames.decode(stored));

        String over = "\n" + "a".repeat(249);
        String shortened = SafeNames.encode(over);
        assertTrue(bytes(shortened) <= 255);
        assertEquals(Optional.empty(), SafeNames.decode(shortened));
    }

    @Test
    void longNamesThatShareAPrefixStayDistinct() {
        String a = "x".repeat(300) + "a";
        String b = "x".repeat(300) + "b";
        assertNotEquals(SafeNames.encode(a), SafeNames.encode(b));
        assertEquals(SafeNames.encode(a), SafeNames.encode(a), "deterministic");
        assertStorable(SafeNames.encode(a));
        String multibyte = "\n" + "\uD83D\uDE00".repeat(100); // 4-byte chars around the cut
        String stored = SafeNames.encode(multibyte);
        assertStorable(stored);
        assertEquals(stored, new String(stored.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void aFullFormNeverLooksLikeAShortenedOne() {
        String longName = "\n" + "a".repeat(300);
        String shortened = SafeNames.encode(longName); // ~ck~%0Aaaa...a~<16 hex>
        assertTrue(shortened.startsWith("~ck~%0A"), shortened);
        // The name whose escaping, were '~' kept, would be exactly that shortened form:
        String lookalike = "\n" + shortened.substring("~ck~%0A".length());
        String stored = SafeNames.encode(lookalike);
        assertNotEquals(shortened, stored, "two provider names must never share a stored name");
        assertEquals(Optional.empty(), SafeNames.decode(shortened));
    }

    @Test
    void decodeRefusesWhatEncodeNeverGives() {
        assertEquals(Optional.empty(), SafeNames.decode("~ck~%0"));
        assertEquals(Optional.empty(), SafeNames.decode("~ck~%zz"));
        assertEquals(Optional.empty(), SafeNames.decode("~ck~%0a"), "lower-case escape");
        assertEquals(Optional.empty(), SafeNames.decode("~ck~plain"), "nothing needed escaping");
        assertEquals(Optional.empty(), SafeNames.decode("~ck~%C3"), "half a UTF-8 sequence");
        assertEquals(Optional.empty(), SafeNames.decode("~ck~%uD83D%uDE00"), "a pair is not lone");
    }

    @Test
    void randomNamesRoundTripAndNeverCollide() {
        String[] pieces = {
            "a",
            "Z",
            ".",
            "..",
            "%",
            "~",
            "~ck~",
            "/",
            "\n",
            "\u0000",
            "\u007F",
            "\u00E9",
            "e\u0301",
            "\uD800",
            "\uDFFF",
            "\uD83D\uDE00",
            "\u20AC",
            " ",
            "\\",
            ".cloudkeep",
            ".CLOUDKEEP"
        };
        Random random = new Random(42);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int count = random.nextInt(12);
            for (int k = 0; k < count; k++) {
                name.append(pieces[random.nextInt(pieces.length)]);
            }
            String original = name.toString();
            String stored = SafeNames.encode(original);
            assertStorable(stored);
            assertEquals(Optional.of(original), SafeNames.decode(stored), stored);
            String before = seen.put(stored, original);
            assertTrue(before == null || before.equals(original), "two names stored as " + stored);
        }
    }

    /** What the file system needs: one name, not ours, valid UTF-8, at most 255 bytes. */
    private static void assertStorable(String stored) {
        assertFalse(stored.isEmpty() || stored.equals(".") || stored.equals(".."), stored);
        assertFalse(stored.regionMatches(true, 0, ".cloudkeep", 0, 10), stored);
        assertTrue(bytes(stored) <= 255, stored);
        assertTrue(stored.chars().noneMatch(c -> c < 0x20 || c == 0x7F || c == '/'), stored);
        assertEquals(stored, new String(stored.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals(1, Path.of(stored).getNameCount());
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What FAT and NTFS accept: none of \\ : * ? " < > | or control characters, no trailing dot or space, no device name. */
    static boolean storableOnFat(String stored) {
        return stored.chars().noneMatch(c -> c < 0x20 || "\\:*?\"<>|".indexOf(c) >= 0)
                && !stored.endsWith(".")
                && !stored.endsWith(" ")
                && !stored.matches("(?i)(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\\..*)?");
    }
}
