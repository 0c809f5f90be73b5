package org.cloudkeep.provider.s3;

import static org.cloudkeep.provider.s3.CannedS3.listing;
import static org.cloudkeep.provider.s3.CannedS3.object;
import static org.cloudkeep.provider.s3.CannedS3.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.cloudkeep.api.PermanentProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListingParserTest {

    private static ListingParser.Page parse(String xml) throws Exception {
        return ListingParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), 10, "test listing");
    }

    @Test
    void readsObjectsAndPrefixesInDocumentOrder() throws Exception {
        ListingParser.Page page = parse(listing("<IsTruncated>true</IsTruncated>"
                + object("a+b%2Bc.txt", 12, "0123456789abcdef0123456789ABCDEF") + prefix("sub%2F")
                + "<NextContinuationToken>tok/1+=</NextContinuationToken>"));
        assertEquals("tok/1+=", page.nextToken());
        ListingParser.Item file = page.items().get(0);
        assertEquals("a b+c.txt", file.key());
        assertEquals(12, file.size());
        assertEquals(Instant.parse("2024-03-01T10:00:00Z"), file.modified());
        assertEquals("0123456789abcdef0123456789ABCDEF", file.etag());
        assertFalse(file.prefix());
        assertEquals("sub/", page.items().get(1).key());
        assertTrue(page.items().get(1).prefix());
    }

    @Test
    void decodesKeysOnlyWhenTheAnswerSaysTheyAreEncodedEvenIfItSaysSoAtTheEnd() throws Exception {
        String raw = "<ListBucketResult>" + object("100%25 a+b &amp; c", 1, "x") + "</ListBucketResult>";
        assertEquals("100%25 a+b & c", parse(raw).items().get(0).key());
        String late = "<ListBucketResult>" + object("100%25+a", 1, "x") + "<EncodingType>url</EncodingType>"
                + "</ListBucketResult>";
        assertEquals("100% a", parse(late).items().get(0).key());
    }

    @Test
    void aLastPageHasNoToken() throws Exception {
        assertNull(parse(listing("<IsTruncated>false</IsTruncated><NextContinuationToken>t</NextContinuationToken>"))
                .nextToken());
        assertEquals(List.of(), parse(listing("")).items());
    }

    @ParameterizedTest
    @CsvSource({
        "a%2Fb, a/b",
        "%E4%B8%AD, \u4e2d",
        "caf%C3%A9, caf\u00e9",
        "cafe%CC%81, cafe\u0301",
    })
    void urlDecodingKeepsEveryCharacterExactly(String encoded, String decoded) {
        assertEquals(decoded, ListingParser.urlDecode(encoded));
        assertEquals("nul\u0000", ListingParser.urlDecode("nul%00")); // CsvSource would strip the NUL
    }

    @ParameterizedTest
    @CsvSource({"bad%2", "bad%zz", "%C3%28", "%FF"})
    void brokenUrlEncodingDecodesToNothing(String encoded) {
        assertNull(ListingParser.urlDecode(encoded));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<Error><Code>x</Code></Error>| <Error> document instead",
                "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>| without <Key>",
                "<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>| no <Size>",
                "<ListBucketResult><Contents><Key>k</Key><Size>big</Size></Contents></ListBucketResult>| not a number",
                "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>| negative",
                "<ListBucketResult><Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>| no <LastModified>",
                "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified>"
                        + "</Contents></ListBucketResult>| not an ISO 8601 time",
                "<ListBucketResult><CommonPrefixes></CommonPrefixes></ListBucketResult>| without <Prefix>",
                "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>| NextContinuationToken is missing",
                "<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>| not true or false",
                "<ListBucketResult><Contents><Key>k</Key>| not well-formed",
                "not xml at all| not well-formed",
                "<ListBucketResult><Contents><Key><b>k</b></Key></Contents></ListBucketResult>| not well-formed",
            })
    void malformedAnswersArePermanentAndSayWhatIsWrong(String xml, String problem) {
        PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> parse(xml));
        assertTrue(e.getMessage().contains(problem.strip()), e.getMessage());
        assertTrue(e.getMessage().contains("test listing"), e.getMessage());
    }

    @Test
    void aPageWithMoreKeysThanAskedForIsRefused() {
        String many = object("k", 1, "x").repeat(11);
        PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> parse(listing(many)));
        assertTrue(e.getMessage().contains("more than 10 keys"), e.getMessage());
    }

    @Test
    void anEndlessElementIsRefusedBeforeItFillsMemory() {
        InputStream endless = new SequenceInputStream(
                new ByteArrayInputStream("<ListBucketResult><NextContinuationToken>".getBytes(StandardCharsets.UTF_8)),
                new InputStream() {
                    @Override
                    public int read() {
                        return 'x';
                    }
                });
        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> ListingParser.parse(endless, 10, "test listing"));
        assertTrue(e.getMessage().contains("larger than 16 MiB"), e.getMessage());
    }

    @Test
    void entitiesFromADoctypeAreNeverExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ListBucketResult><Contents><Key>&x;</Key><Size>1</Size>"
                + "<LastModified>2024-03-01T10:00:00Z</LastModified></Contents></ListBucketResult>";
        assertThrows(PermanentProviderException.class, () -> parse(xxe));
    }
}
