package org.cloudkeep.provider.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.itests.servers.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the suite does not look at, against s3proxy with its filesystem back end: the account prefix as a boundary,
 * tree listings against folder-by-folder walks with tiny pages, and which credentials are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyTest {

    private static final String BUCKET = "bucket";

    @TempDir
    static Path work;

    private S3ProxyServer server;
    /** Two keys a page, so that every listing here spans pages. */
    private final S3Provider provider = new S3Provider(
            new S3Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 2, true));

    @BeforeAll
    void start() throws Exception {
        server = S3ProxyServer.start(work, S3ProxyServer.Backend.FILESYSTEM, "AKIDPROXY", "proxy-secret");
        S3FixtureWriter bucket = new S3FixtureWriter(credentials(""));
        bucket.createBucket();
        // Beside the account "alice": keys a prefix match without the slash would wrongly take in.
        bucket.write("/outside.txt", bytes("not alice's"));
        bucket.write("/alice-other/x.txt", bytes("not alice's either"));
        S3FixtureWriter alice = new S3FixtureWriter(credentials("alice"));
        alice.write("/top.txt", bytes("top"));
        alice.write("/implicit/a/one.txt", bytes("one")); // folders without marker objects
        alice.write("/implicit/a/two.txt", bytes("two"));
        alice.write("/implicit/b.txt", bytes("b"));
        alice.mkdirs("/marked/empty"); // a folder that is only a marker object
        alice.mkdirs("/marked");
        alice.write("/marked/m.txt", bytes("m"));
        alice.write("/sp ace/%41+b&c.txt", bytes("odd characters"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> credentials(String prefix) {
        return Map.of(
                S3Account.ENDPOINT, server.endpoint().toString(),
                S3Account.BUCKET, BUCKET,
                S3Account.PREFIX, prefix,
                S3Account.ACCESS_KEY_ID, server.accessKeyId(),
                S3Account.SECRET_ACCESS_KEY, server.secretAccessKey());
    }

    @Test
    void theTreeListingEqualsTheFolderByFolderWalk() throws Exception {
        Map<String, Entry> walked = new TreeMap<>();
        Map<String, Entry> tree = new TreeMap<>();
        try (ProviderSession session = provider.connect(credentials("alice"))) {
            List<String> folders = new ArrayList<>(List.of("/"));
            while (!folders.isEmpty()) {
                for (Entry entry : all(session, folders.remove(0), false)) {
                    walked.put(entry.path(), entry);
                    if (entry.directory()) {
                        folders.add(entry.path());
                    }
                }
            }
            for (Entry entry : all(session, "/", true)) {
                assertEquals(null, tree.put(entry.path(), entry), "listed twice: " + entry.path());
            }
        }
        assertEquals(
                List.of(
                        "/implicit",
                        "/implicit/a",
                        "/implicit/a/one.txt",
                        "/implicit/a/two.txt",
                        "/implicit/b.txt",
                        "/marked",
                        "/marked/empty",
                        "/marked/m.txt",
                        "/sp ace",
                        "/sp ace/%41+b&c.txt",
                        "/top.txt"),
                List.copyOf(walked.keySet()),
                "nothing outside the prefix 'alice/', every folder with or without a marker");
        assertEquals(walked, tree);
    }

    @Test
    void theAccountRootIsABoundary() throws Exception {
        try (ProviderSession session = provider.connect(credentials("alice"))) {
            assertThrows(ProviderException.class, () -> session.stat("/../outside.txt"));
            assertEquals(3, session.stat("/top.txt").size());
            assertEquals(List.of(), all(session, "/marked/empty", false));
        }
    }

    @Test
    void wrongSecretOrUnknownKeyIsRefusedAtConnect() {
        Map<String, String> wrongSecret = new HashMap<>(credentials("alice"));
        wrongSecret.put(S3Account.SECRET_ACCESS_KEY, "wrong");
        assertThrows(BadCredentialsException.class, () -> provider.connect(wrongSecret));
        Map<String, String> unknownKey = new HashMap<>(credentials("alice"));
        unknownKey.put(S3Account.ACCESS_KEY_ID, "AKIDNOBODY");
        assertThrows(BadCredentialsException.class, () -> provider.connect(unknownKey));
    }

    @Test
    void aMissingBucketIsRefusedAtConnectNamingIt() {
        Map<String, String> noBucket = new HashMap<>(credentials("alice"));
        noBucket.put(S3Account.BUCKET, "no-such-bucket");
        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> provider.connect(noBucket));
        assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
    }

    /** Every entry of a listing, page after page, with a bound on the pages. */
    private static List<Entry> all(ProviderSession session, String folder, boolean tree) throws ProviderException {
        List<Entry> entries = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            EntryPage page = tree ? session.listTree(folder, token) : session.list(folder, token);
            entries.addAll(page.entries());
            token = page.nextPageToken();
            assertTrue(++pages < 1000, "the page tokens of " + folder + " never end");
        } while (token != null);
        return entries;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
