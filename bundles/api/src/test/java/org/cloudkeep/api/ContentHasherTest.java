package org.cloudkeep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentHasherTest {

    private static String hash(String algorithm, String text) {
        ContentHasher hasher = ContentHasher.standard(algorithm);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        hasher.update(bytes, 0, 1); // fed in two parts, as a download arrives
        hasher.update(bytes, 1, bytes.length - 1);
        ContentHash hash = hasher.finish();
        assertEquals(algorithm, hash.algorithm());
        return hash.value();
    }

    @Test
    void theStandardDigestsGiveTheirPublishedValues() {
        assertEquals("900150983cd24fb0d6963f7d28e17f72", hash(ContentHash.MD5, "abc")); // RFC 1321
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", hash(ContentHash.SHA1, "abc")); // FIPS 180
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash(ContentHash.SHA256, "abc"));
    }

    @Test
    void anAlgorithmItDoesNotKnowHasNoStandardHasher() {
        assertNull(ContentHasher.standard("dropbox-content-hash"));
    }

    @Test
    void thePkceChallengeIsTheRfc7636Example() {
        OAuth2Request request = new OAuth2Request(
                java.net.URI.create("http://127.0.0.1/back"), "state", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", request.codeChallenge()); // RFC 7636 appendix B
    }
}
