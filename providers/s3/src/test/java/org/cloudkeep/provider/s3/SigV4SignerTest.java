package org.cloudkeep.provider.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against the published examples of "Signature Calculations for the Authorization Header" (S3 docs). */
class SigV4SignerTest {

    private static final SigV4Signer EXAMPLE =
            new SigV4Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");
    private static final Instant WHEN = Instant.parse("2013-05-24T00:00:00Z");

    @Test
    void getObjectExample() {
        Map<String, String> headers = EXAMPLE.sign(
                "GET",
                URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("range", "bytes=0-9"),
                SigV4Signer.EMPTY_SHA256,
                WHEN);
        assertEquals(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                headers.get("authorization"));
        assertEquals("20130524T000000Z", headers.get("x-amz-date"));
        assertEquals(SigV4Signer.EMPTY_SHA256, headers.get("x-amz-content-sha256"));
    }

    @Test
    void listObjectsExampleSignsTheSortedQueryWhateverOrderItIsSentIn() {
        String expected = "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
        for (String query : new String[] {"max-keys=2&prefix=J", "prefix=J&max-keys=2"}) {
            String authorization = EXAMPLE.sign(
                            "GET",
                            URI.create("https://examplebucket.s3.amazonaws.com/?" + query),
                            Map.of(),
                            SigV4Signer.EMPTY_SHA256,
                            WHEN)
                    .get("authorization");
            assertEquals(expected, authorization.substring(authorization.indexOf("Signature=")), query);
        }
    }

    @Test
    void encodesEverythingButTheUnreservedCharacters() {
        assertEquals("a-b_c.d~e", SigV4Signer.uriEncode("a-b_c.d~e", false));
        assertEquals("a%20b/c%2Bd%3D%C3%A9%2A", SigV4Signer.uriEncode("a b/c+d=\u00e9*", true));
        assertEquals("a%2Fb", SigV4Signer.uriEncode("a/b", false));
        assertEquals("%F0%9F%98%80", SigV4Signer.uriEncode("\ud83d\ude00", true));
    }

    @Test
    void sortsQueryParametersByNameAndGivesABareNameAnEmptyValue() {
        assertEquals("a=&a-b=2&b=1", SigV4Signer.canonicalQuery("b=1&a-b=2&a"));
        assertEquals("", SigV4Signer.canonicalQuery(null));
    }

    @Test
    void hostCarriesThePortOnlyWhenItIsNotTheDefault() {
        assertEquals("127.0.0.1:9000", SigV4Signer.host(URI.create("http://127.0.0.1:9000/b")));
        assertEquals("s3.amazonaws.com", SigV4Signer.host(URI.create("https://s3.amazonaws.com:443/b")));
        assertEquals("s3.amazonaws.com", SigV4Signer.host(URI.create("https://s3.amazonaws.com/b")));
    }
}
