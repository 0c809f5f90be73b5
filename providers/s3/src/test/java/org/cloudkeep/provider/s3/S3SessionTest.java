package org.cloudkeep.provider.s3;

import static org.cloudkeep.provider.s3.CannedS3.listing;
import static org.cloudkeep.provider.s3.CannedS3.object;
import static org.cloudkeep.provider.s3.CannedS3.prefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.provider.s3.CannedS3.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing, stat and download against canned answers: names, paging, folders, ranges. */
class S3SessionTest {

    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    private CannedS3 server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private S3Session session(Function<CannedS3.Request, Reply> replies) throws Exception {
        server = new CannedS3(replies);
        return server.session(CannedS3.settings(1000));
    }

    private static Reply ok(String xml) {
        return Reply.xml(200, xml);
    }

    private static Reply notFound() {
        return Reply.xml(404, CannedS3.error("NoSuchKey"));
    }

    @Test
    void listAsksForOneLevelOfTheFolderAndMapsPrefixesToFolders() throws Exception {
        S3Session session = session(request -> ok(listing(prefix("root%2Fdocs%2Fsub%2F")
                + object("root%2Fdocs%2F", 0, "d41d8cd98f00b204e9800998ecf8427e")
                + object("root%2Fdocs%2Fa+b.txt", 5, MD5)
                + object("root%2Fdocs%2Fbig.iso", 99, "0123456789abcdef0123456789abcdef-12"))));
        EntryPage page = session.list("/docs", null);

        CannedS3.Request request = server.requests().get(0);
        assertEquals("GET", request.method());
        assertEquals("/b", request.path());
        assertEquals(
                Map.of(
                        "list-type", "2",
                        "prefix", "root/docs/",
                        "delimiter", "/",
                        "max-keys", "1000",
                        "encoding-type", "url"),
                request.query());
        assertTrue(request.headers().get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
        assertEquals(SigV4Signer.EMPTY_SHA256, request.headers().get("x-amz-content-sha256"));

        assertNull(page.nextPageToken());
        assertEquals(
                List.of(
                        Entry.folder("/docs/sub", S3Session.FOLDER_TIME),
                        Entry.file(
                                "/docs/a b.txt",
                                5,
                                Instant.parse("2024-03-01T10:00:00Z"),
                                new ContentHash(ContentHash.MD5, MD5)),
                        Entry.file("/docs/big.iso", 99, Instant.parse("2024-03-01T10:00:00Z"), null)),
                page.entries(),
                "the folder's own marker is not listed; a multipart ETag is no MD5");
    }

    @Test
    void hostileKeysAreSkippedNeverFollowed() throws Exception {
        S3Session session = session(request -> ok(listing(object("root%2Fdocs%2F..", 1, MD5)
                + object("root%2Fdocs%2F.", 1, MD5)
                + object("root%2Fdocs%2Fa%2Fb", 1, MD5) // %2F decodes to '/': not a direct child
                + object("root%2Fdocs%2Fnul%00.txt", 1, MD5)
                + object("root%2Fdocs%2Fbad%zz", 1, MD5)
                + object("root%2Fother%2Fsecret.txt", 1, MD5) // outside the folder listed
                + object("secret.txt", 1, MD5)
                + object("elsewhere%2Fleaked", 1, MD5) // as long as the prefix: would read "leaked"
                + prefix("root%2Fdocs-x%2F") // shares the prefix without its slash: would read "x/"
                + object("root%2Fdocs%2Fmarker%2F", 0, MD5)
                + prefix("root%2Fdocs%2F..%2F")
                + prefix("root%2Fdocs%2F%2F") // "a//b": an empty name
                + prefix("root%2Fdocs%2F.%2F")
                + prefix("root%2Fdocs%2Fno-slash")
                + prefix("elsewhere%2F")
                + object("root%2Fdocs%2Fkept%2520name.txt", 1, MD5)
                + prefix("root%2Fdocs%2Fkept%2F"))));
        List<String> paths =
                session.list("/docs", null).entries().stream().map(Entry::path).toList();
        assertEquals(List.of("/docs/kept%20name.txt", "/docs/kept"), paths);
    }

    @Test
    void anObjectNamedLikeAFolderOnTheSamePageGivesWayToTheFolder() throws Exception {
        S3Session session = session(request -> request.query().containsKey("delimiter")
                ? ok(listing(object("root%2Fx", 0, MD5) + object("root%2Fx.txt", 1, MD5) + prefix("root%2Fx%2F")))
                : ok(listing(object("root%2Fx", 0, MD5) + object("root%2Fx%2Fin.txt", 1, MD5))));
        assertEquals(
                List.of("/x.txt", "/x/"),
                session.list("/", null).entries().stream()
                        .map(S3SessionTest::shown)
                        .toList());
        assertEquals(
                List.of("/x/", "/x/in.txt"),
                session.listTree("/", null).entries().stream()
                        .map(S3SessionTest::shown)
                        .toList());
    }

    @Test
    void pageTokensGoBackToTheServerUntilTheLastPage() throws Exception {
        S3Session session = session(request -> {
            String token = request.query().get("continuation-token");
            if (token == null) {
                return ok(listing("<IsTruncated>true</IsTruncated>" + object("root%2Ff1", 1, MD5)
                        + "<NextContinuationToken>next/1+=</NextContinuationToken>"));
            }
            return ok(listing("<IsTruncated>false</IsTruncated>" + object("root%2Ff2", 1, MD5)));
        });
        EntryPage first = session.list("/", null);
        assertEquals(List.of("/f1"), first.entries().stream().map(Entry::path).toList());
        EntryPage second = session.list("/", first.nextPageToken());
        assertEquals(List.of("/f2"), second.entries().stream().map(Entry::path).toList());
        assertNull(second.nextPageToken());
        assertEquals("next/1+=", server.requests().get(1).query().get("continuation-token"));
        assertEquals("root/", server.requests().get(0).query().get("prefix"));
    }

    @Test
    void aServerThatRepeatsItsTokenIsRefusedRatherThanLoopedOn() throws Exception {
        S3Session session = session(request ->
                ok(listing("<IsTruncated>true</IsTruncated>" + "<NextContinuationToken>same</NextContinuationToken>")));
        assertThrows(PermanentProviderException.class, () -> session.list("/", "same"));
    }

    @Test
    void anEmptyListingIsAMissingFolderUnlessItsMarkerOrAFileIsThere() throws Exception {
        List<String> present = new ArrayList<>();
        S3Session session = session(request -> {
            if (request.method().equals("HEAD")) {
                return present.contains(request.path())
                        ? Reply.of(
                                200,
                                Map.of("Content-Length", "0", "Last-Modified", "Fri, 01 Mar 2024 10:00:00 GMT"),
                                "")
                        : notFound();
            }
            return ok(listing(""));
        });
        assertThrows(NotFoundException.class, () -> session.list("/missing", null));
        assertThrows(NotFoundException.class, () -> session.listTree("/missing", null));
        present.add("/b/root/empty/");
        assertEquals(List.of(), session.list("/empty", null).entries());
        present.add("/b/root/file.txt");
        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> session.list("/file.txt", null));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
        assertEquals(List.of(), session.list("/", null).entries(), "the root always exists");
    }

    @Test
    void listTreeSynthesisesFoldersAndCarriesThemAcrossPages() throws Exception {
        S3Session session = session(request -> {
            assertFalse(request.query().containsKey("delimiter"), "a tree listing asks for every key");
            if (request.query().get("continuation-token") == null) {
                return ok(listing("<IsTruncated>true</IsTruncated>" + object("root%2Fa%2Fb%2Fc.txt", 1, MD5)
                        + object("root%2Fa%2Fb%2F..%2Fevil", 1, MD5)
                        + "<NextContinuationToken>p2</NextContinuationToken>"));
            }
            return ok(listing(object("root%2Fa%2Fb%2Fd.txt", 2, MD5)
                    + object("root%2Fa%2Fe%2F", 0, MD5)
                    + object("root%2Fz.txt", 3, MD5)));
        });
        EntryPage first = session.listTree("/", null);
        EntryPage second = session.listTree("/", first.nextPageToken());
        assertEquals(
                List.of("/a/", "/a/b/", "/a/b/c.txt"),
                first.entries().stream().map(S3SessionTest::shown).toList());
        assertEquals(
                List.of("/a/b/d.txt", "/a/e/", "/z.txt"),
                second.entries().stream().map(S3SessionTest::shown).toList(),
                "folders already given on the page before are not repeated");
        assertNull(second.nextPageToken());
        assertEquals("p2", server.requests().get(1).query().get("continuation-token"));
        assertThrows(PermanentProviderException.class, () -> session.listTree("/", "garbage"));
        assertThrows(PermanentProviderException.class, () -> session.listTree("/", "Li4.p2"));
    }

    @Test
    void statOfAnObjectIsAHeadOfAFolderAListing() throws Exception {
        S3Session session = session(request -> {
            if (request.method().equals("HEAD") && request.path().equals("/b/root/f.txt")) {
                return Reply.of(
                        200,
                        Map.of(
                                "Content-Length",
                                "42",
                                "Last-Modified",
                                "Fri, 01 Mar 2024 10:00:00 GMT",
                                "ETag",
                                "\"" + MD5.toUpperCase() + "\""),
                        "");
            }
            if (request.method().equals("HEAD")) {
                return notFound();
            }
            return request.query().get("prefix").equals("root/dir/")
                    ? ok(listing(object("root%2Fdir%2Fx", 1, MD5)))
                    : ok(listing(""));
        });
        assertEquals(
                Entry.file("/f.txt", 42, Instant.parse("2024-03-01T10:00:00Z"), new ContentHash(ContentHash.MD5, MD5)),
                session.stat("/f.txt"));
        assertEquals(Entry.folder("/dir", S3Session.FOLDER_TIME), session.stat("/dir"));
        assertEquals(
                "1", server.requests().get(server.requests().size() - 1).query().get("max-keys"));
        assertThrows(NotFoundException.class, () -> session.stat("/nothing"));
        assertTrue(session.stat("/").directory());
        assertThrows(PermanentProviderException.class, () -> session.stat("/a/../f.txt"));
        assertThrows(PermanentProviderException.class, () -> session.stat("relative"));
    }

    @Test
    void aHeadWithoutSizeOrDateIsMalformed() throws Exception {
        S3Session session =
                session(request -> Reply.of(200, Map.of("Content-Length", "5", "Last-Modified", "yesterday"), ""));
        PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> session.stat("/f"));
        assertTrue(e.getMessage().contains("Last-Modified"), e.getMessage());
    }

    @Test
    void openSendsARangeFromTheOffset() throws Exception {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        S3Session session = session(request -> {
            String range = request.headers().get("range");
            if (range == null) {
                return new Reply(200, Map.of(), content, -1, false);
            }
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            return new Reply(
                    206,
                    Map.of("Content-Range", "bytes " + from + "-9/10"),
                    Arrays.copyOfRange(content, from, 10),
                    -1,
                    false);
        });
        assertArrayEquals(content, read(session, "/f", 0));
        assertNull(server.requests().get(0).headers().get("range"), "no Range for the whole file");
        assertArrayEquals("789".getBytes(StandardCharsets.US_ASCII), read(session, "/f", 7));
        assertEquals("bytes=7-", server.requests().get(1).headers().get("range"));
        assertThrows(PermanentProviderException.class, () -> session.open("/f", -1));
        assertThrows(PermanentProviderException.class, () -> session.open("/", 0));
    }

    @Test
    void aServerThatIgnoresTheRangeIsSkippedToTheOffset() throws Exception {
        S3Session session = session(request -> Reply.of(200, Map.of(), "0123456789"));
        assertArrayEquals("56789".getBytes(StandardCharsets.US_ASCII), read(session, "/f", 5));
        assertThrows(PermanentProviderException.class, () -> session.open("/f", 11));
    }

    @Test
    void aRangeAnswerForAnotherOffsetIsRefused() throws Exception {
        S3Session session = session(request -> Reply.of(206, Map.of("Content-Range", "bytes 0-9/10"), "0123456789"));
        assertThrows(PermanentProviderException.class, () -> session.open("/f", 5));
    }

    @Test
    void readingFromTheEndIsEmptyAndPastTheEndIsRefused() throws Exception {
        S3Session session = session(request -> request.method().equals("HEAD")
                ? Reply.of(200, Map.of("Content-Length", "10", "Last-Modified", "Fri, 01 Mar 2024 10:00:00 GMT"), "")
                : Reply.xml(416, CannedS3.error("InvalidRange")));
        assertArrayEquals(new byte[0], read(session, "/f", 10));
        PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> session.open("/f", 11));
        assertTrue(e.getMessage().contains("only 10 bytes"), e.getMessage());
    }

    @Test
    void openOfAMissingObjectIsNotFound() throws Exception {
        S3Session session = session(request -> notFound());
        assertThrows(NotFoundException.class, () -> session.open("/gone", 0));
    }

    private static byte[] read(S3Session session, String path, long offset) throws Exception {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    /** A path with a trailing '/' for a folder, to compare listings in one line. */
    private static String shown(Entry entry) {
        return entry.directory() ? entry.path() + "/" : entry.path();
    }
}
