package org.cloudkeep.provider.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DavUrlsTest {

    private final DavUrls urls = DavUrls.of("https://cloud.example.com/remote.php/dav/files/alice%40example.com/");

    @Test
    void everyAwkwardCharacterIsEscapedAndNothingIsNormalised() {
        String nfd = "cafe\u0301";
        assertEquals(
                "https://cloud.example.com/remote.php/dav/files/alice%40example.com/a%20b/%23%3F%25%2B%26/"
                        + "cafe%CC%81/%F0%9F%98%80",
                urls.url("/a b/#?%+&/" + nfd + "/\ud83d\ude00", false).toString());
        assertEquals(
                "https://cloud.example.com/remote.php/dav/files/alice%40example.com/d/",
                urls.url("/d", true).toString());
        assertEquals(
                "https://cloud.example.com/remote.php/dav/files/alice%40example.com/",
                urls.url("/", true).toString());
    }

    @Test
    void hrefsAreComparedDecodedWhateverTheirSpelling() {
        String folder = urls.serverPath("/a b", true);
        assertEquals("/remote.php/dav/files/alice@example.com/a b/", folder);
        for (String href : List.of(
                "/remote.php/dav/files/alice@example.com/a%20b/x%C3%A9",
                "/remote.php/dav/files/alice%40example.com/a b/xé",
                "https://cloud.example.com/remote.php/dav/files/alice%40example.com/a%20b/x%c3%a9/",
                "HTTPS://CLOUD.example.com:443/remote.php/dav/files/alice%40example.com/a%20b/x%C3%A9")) {
            assertEquals("xé", DavUrls.childName(folder, urls.hrefPath(href)), href);
        }
        assertNull(urls.hrefPath("http://cloud.example.com/remote.php/dav/files/alice/a%20b/x"), "other scheme");
        assertNull(urls.hrefPath("https://cloud.example.com:8443/remote.php/x"), "other port");
        assertNull(urls.hrefPath("https://cloud.example.com.evil/remote.php/x"), "other host");
        assertEquals("a+b", DavUrls.decode("a+b"), "a '+' in a path is a plus");
        assertNull(DavUrls.decode("%"));
        assertNull(DavUrls.decode("%C3"), "half a UTF-8 character");
    }

    @Test
    void theFolderItselfIsRecognisedWithOrWithoutSlash() {
        String folder = urls.serverPath("/d", true);
        assertEquals(true, DavUrls.isSelf(folder, "/remote.php/dav/files/alice@example.com/d"));
        assertEquals(true, DavUrls.isSelf(folder, "/remote.php/dav/files/alice@example.com/d/"));
        assertNull(DavUrls.childName(folder, "/remote.php/dav/files/alice@example.com/d/"));
    }

    @Test
    void urlsThatCannotBeAFolderAreRefused() {
        for (String url : List.of(
                "",
                "cloud.example.com/dav",
                "ftp://h/",
                "https:///dav",
                "https://u:p@h/dav/",
                "https://h/dav/?a=b",
                "https://h/dav/#top",
                "https://h/%zz/")) {
            assertThrows(IllegalArgumentException.class, () -> DavUrls.of(url), url);
        }
        assertEquals(
                "http://h:8080/dav/", DavUrls.of("http://h:8080/dav").root().toString(), "made a folder");
        assertEquals("http://h/", DavUrls.of("http://h").root().toString());
    }
}
