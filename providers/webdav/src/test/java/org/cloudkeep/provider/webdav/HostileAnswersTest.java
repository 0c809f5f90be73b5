package org.cloudkeep.provider.webdav;

import static org.cloudkeep.provider.webdav.CannedServer.file;
import static org.cloudkeep.provider.webdav.CannedServer.folder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.provider.webdav.CannedServer.Answer;
import org.junit.jupiter.api.Test;

/** Listings of {@code /f} whose answers no honest server sends. */
class HostileAnswersTest {

    /** Answers the listing of /f with this; everything else as the defaults. */
    private static CannedServer serving(Answer listing) throws Exception {
        return new CannedServer(
                r -> r.method().equals("PROPFIND") && r.rawPath().equals("/dav/f/") ? listing : null);
    }

    private static List<Entry> list(CannedServer server) throws Exception {
        try (ProviderSession session = server.connect()) {
            EntryPage page = session.list("/f", null);
            assertNull(page.nextPageToken());
            return page.entries();
        }
    }

    @Test
    void onlyDirectChildrenWithValidNamesAreListed() throws Exception {
        AtomicReference<String> origin = new AtomicReference<>(); // http://127.0.0.1:port, known once started
        try (CannedServer server = new CannedServer(r -> !r.rawPath().equals("/dav/f/")
                ? null
                : Answer.multistatus(
                        folder("/dav/f/"),
                        file("/dav/f/good.txt", 1),
                        file(origin.get() + "/dav/f/absolute.txt", 2),
                        file("/dav/f/caf%C3%A9%20%23%3F%25+x.txt", 3),
                        folder("/dav/f/dir/"),
                        file("/dav/f/..", 4),
                        file("/dav/f/%2E%2E", 5),
                        file("/dav/f/.", 6),
                        file("/dav/f/a%2Fb", 7),
                        file("/dav/f/%00nul", 8),
                        file("/dav/f/sub/deeper.txt", 9),
                        file("/dav/f//double", 10),
                        file("/dav/other/x.txt", 11),
                        file("/dav/f/../../etc/passwd", 12),
                        file("http://evil.example/dav/f/evil.txt", 13),
                        file(origin.get().replace("127.0.0.1:", "127.0.0.1:1") + "/dav/f/other-port.txt", 14),
                        file("relative.txt", 15),
                        file("/dav/f/q?x=1", 16),
                        file("/dav/f/bad%zz", 17),
                        file("/dav/f/%C3%28", 18),
                        file("/dav/fx/sibling.txt", 19)))) {
            origin.set("http://127.0.0.1:" + server.root().getPort());
            List<Entry> entries = list(server);
            assertEquals(
                    List.of("/f/good.txt", "/f/absolute.txt", "/f/café #?%+x.txt", "/f/dir"),
                    entries.stream().map(Entry::path).toList());
            assertTrue(entries.get(3).directory());
            assertEquals(3, entries.get(2).size());
        }
    }

    @Test
    void malformedXmlIsPermanentAndSaysSo() throws Exception {
        try (CannedServer server = serving(Answer.of(207, "<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>"))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        }
    }

    @Test
    void anHtmlPageIsNoMultistatus() throws Exception {
        try (CannedServer server = serving(Answer.of(207, "<html><body>Hello</body></html>"))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("not a DAV:multistatus"), e.getMessage());
        }
    }

    @Test
    void aBodyThatEndsEarlyWhileTheConnectionSaidMoreIsTransient() throws Exception {
        String whole = CannedServer.multistatus(folder("/dav/f/"), file("/dav/f/a.txt", 1));
        String cut = whole.substring(0, whole.length() / 2);
        try (CannedServer server = serving(Answer.of(207, cut).declaringLength(whole.length()))) {
            assertThrows(TransientProviderException.class, () -> list(server));
        }
    }

    @Test
    void aCompleteBodyWithoutItsEndTagIsMalformed() throws Exception {
        String whole = CannedServer.multistatus(folder("/dav/f/"), file("/dav/f/a.txt", 1));
        String cut = whole.substring(0, whole.indexOf("</d:multistatus>"));
        try (CannedServer server = serving(Answer.of(207, cut).chunked())) {
            assertThrows(PermanentProviderException.class, () -> list(server));
        }
    }

    @Test
    void aFileWithoutSizeIsReportedByName() throws Exception {
        try (CannedServer server = serving(Answer.multistatus(file("/dav/f/nosize.txt", "")))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(
                    e.getMessage().contains("/f/nosize.txt") && e.getMessage().contains("getcontentlength"),
                    e.getMessage());
        }
    }

    @Test
    void aFileWithANonsenseSizeOrDateIsReported() throws Exception {
        for (String props : List.of(
                "<d:getcontentlength>-5</d:getcontentlength>",
                "<d:getcontentlength>99999999999999999999999</d:getcontentlength>",
                "<d:getcontentlength>12 apples</d:getcontentlength>")) {
            try (CannedServer server = serving(Answer.multistatus(file("/dav/f/x.txt", props)))) {
                assertThrows(PermanentProviderException.class, () -> list(server), props);
            }
        }
        String badDate = "<d:response><d:href>/dav/f/x.txt</d:href><d:propstat><d:prop><d:resourcetype/>"
                + "<d:getcontentlength>1</d:getcontentlength><d:getlastmodified>yesterday</d:getlastmodified>"
                + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
        try (CannedServer server = serving(Answer.multistatus(badDate))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("getlastmodified"), e.getMessage());
        }
    }

    @Test
    void aResponseWithoutHrefIsMalformed() throws Exception {
        String noHref = "<d:response><d:propstat><d:prop><d:resourcetype/></d:prop>"
                + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
        try (CannedServer server = serving(Answer.multistatus(noHref))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("no href"), e.getMessage());
        }
    }

    @Test
    void anEndlessHrefIsRefusedNotBuffered() throws Exception {
        String huge = "/dav/f/" + "x".repeat(Multistatus.MAX_TEXT + 10);
        try (CannedServer server = serving(Answer.multistatus(file(huge, 1)))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        }
    }

    @Test
    void entitiesAndDtdsAreNeverExpanded() throws Exception {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE d:multistatus [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
                + "<d:multistatus xmlns:d=\"DAV:\">" + file("/dav/f/&lol2;&secret;", 1) + "</d:multistatus>";
        try (CannedServer server = serving(Answer.of(207, laughs))) {
            assertThrows(PermanentProviderException.class, () -> list(server));
        }
    }

    @Test
    void propertiesInAFailedPropstatDoNotCount() throws Exception {
        String response = "<d:response><d:href>/dav/f/x.txt</d:href>"
                + "<d:propstat><d:prop><d:resourcetype/><d:getcontentlength>7</d:getcontentlength>"
                + "<d:getlastmodified>" + CannedServer.DATE + "</d:getlastmodified></d:prop>"
                + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
                + "<d:propstat><d:prop><d:getcontentlength>999</d:getcontentlength>"
                + "<oc:checksums><oc:checksum>SHA1:" + "a".repeat(40) + "</oc:checksum></oc:checksums>"
                + "<d:resourcetype><d:collection/></d:resourcetype></d:prop>"
                + "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>";
        try (CannedServer server = serving(Answer.multistatus(response))) {
            Entry entry = list(server).get(0);
            assertFalse(entry.directory());
            assertEquals(7, entry.size());
            assertNull(entry.hash());
        }
    }

    @Test
    void ownCloudChecksumsGiveTheBestHashTheyHold() throws Exception {
        String sha1 = "0A4D55A8D778E5022FAB701977C5D840BBC486D0";
        String md5 = "5eb63bbbe01eeed093cb22bb8f5acdc3";
        String sha256 = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        String both = "<oc:checksums><oc:checksum>SHA1:" + sha1 + " MD5:" + md5 + " ADLER32:1a0b045d"
                + "</oc:checksum></oc:checksums>";
        String three = "<oc:checksums><oc:checksum>MD5:" + md5 + "</oc:checksum><oc:checksum>SHA256:" + sha256
                + "</oc:checksum></oc:checksums>";
        String bogus = "<oc:checksums><oc:checksum>SHA1:not-hex MD5:abc</oc:checksum></oc:checksums>";
        try (CannedServer server = serving(Answer.multistatus(
                file("/dav/f/both", "<d:getcontentlength>1</d:getcontentlength>" + both),
                file("/dav/f/three", "<d:getcontentlength>1</d:getcontentlength>" + three),
                file("/dav/f/bogus", "<d:getcontentlength>1</d:getcontentlength>" + bogus)))) {
            List<Entry> entries = list(server);
            assertEquals(
                    new ContentHash(ContentHash.SHA1, sha1.toLowerCase()),
                    entries.get(0).hash());
            assertEquals(
                    new ContentHash(ContentHash.SHA256, sha256), entries.get(1).hash());
            assertNull(entries.get(2).hash(), "malformed checksums are not trusted");
        }
    }

    @Test
    void aServerThatStopsSendingMidAnswerTimesOut() throws Exception {
        String start = "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\">" + folder("/dav/f/");
        try (CannedServer server = serving(Answer.of(207, start).stalling())) {
            WebDavSettings impatient = WebDavSettings.DEFAULTS.withReadTimeout(Duration.ofMillis(300));
            try (ProviderSession session = server.connect(impatient)) {
                TransientProviderException e =
                        assertThrows(TransientProviderException.class, () -> session.list("/f", null));
                assertTrue(e.getMessage().contains("sent nothing"), e.getMessage());
            }
        }
    }

    @Test
    void aPlainPageInsteadOfMultistatusIsNoWebDavFolder() throws Exception {
        try (CannedServer server = serving(Answer.of(200, "<html>Welcome</html>"))) {
            PermanentProviderException e = assertThrows(PermanentProviderException.class, () -> list(server));
            assertTrue(e.getMessage().contains("207"), e.getMessage());
        }
    }
}
