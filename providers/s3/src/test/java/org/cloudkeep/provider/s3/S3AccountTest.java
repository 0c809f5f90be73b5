package org.cloudkeep.provider.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.junit.jupiter.api.Test;

class S3AccountTest {

    private static Map<String, String> credentials(String field, String value) {
        Map<String, String> map = new HashMap<>(Map.of(
                S3Account.ENDPOINT, "https://s3.example.com/",
                S3Account.BUCKET, "photos",
                S3Account.ACCESS_KEY_ID, "AKID",
                S3Account.SECRET_ACCESS_KEY, "secret"));
        if (value == null) {
            map.remove(field);
        } else {
            map.put(field, value);
        }
        return map;
    }

    @Test
    void defaultsAndNormalisesWhatWasEntered() throws Exception {
        S3Account account = S3Account.parse(credentials(S3Account.PREFIX, "/backups/alice/"));
        assertEquals("https://s3.example.com", account.endpoint().toString());
        assertEquals("us-east-1", account.region());
        assertEquals("backups/alice/", account.keyPrefix());
        assertEquals("backups/alice/a b/c.txt", account.key("/a b/c.txt"));
        assertEquals("backups/alice/", account.folderPrefix("/"));
        assertEquals("backups/alice/a/", account.folderPrefix("/a"));
        assertEquals("", S3Account.parse(credentials(S3Account.PREFIX, "")).keyPrefix());
    }

    @Test
    void buildsPathStyleUrisWithKeysEncodedOnce() throws Exception {
        S3Account account = S3Account.parse(credentials(S3Account.ENDPOINT, "http://127.0.0.1:9000/s3/"));
        assertEquals(
                "http://127.0.0.1:9000/s3/photos/a%20b/caf%C3%A9%2Bx.txt?list-type=2",
                account.uri("a b/caf\u00e9+x.txt", "list-type=2").toString());
        assertEquals("http://127.0.0.1:9000/s3/photos", account.uri(null, "").toString());
    }

    @Test
    void refusesWhatCannotWorkNamingTheField() {
        assertMessage(credentials(S3Account.ENDPOINT, null), "endpoint");
        assertMessage(credentials(S3Account.ENDPOINT, "ftp://host"), "https://");
        assertMessage(credentials(S3Account.ENDPOINT, "https://user@host"), "no user");
        assertMessage(credentials(S3Account.BUCKET, " "), "bucket");
        assertMessage(credentials(S3Account.BUCKET, "a/b"), "'/'");
        assertMessage(credentials(S3Account.ACCESS_KEY_ID, null), "accessKeyId");
        assertMessage(credentials(S3Account.ACCESS_KEY_ID, "AK ID"), "spaces");
        assertMessage(credentials(S3Account.SECRET_ACCESS_KEY, ""), "secret");
        assertMessage(credentials(S3Account.REGION, "us/east"), "region");
        assertMessage(credentials(S3Account.PREFIX, "a/../b"), "'..'");
        assertMessage(credentials(S3Account.PREFIX, "a//b"), "empty");
    }

    @Test
    void neverPrintsTheSecret() throws Exception {
        S3Account account = S3Account.parse(credentials(S3Account.SECRET_ACCESS_KEY, "TOPSECRET"));
        assertFalse(account.toString().contains("TOPSECRET"), account.toString());
    }

    private static void assertMessage(Map<String, String> credentials, String part) {
        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> S3Account.parse(credentials));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
