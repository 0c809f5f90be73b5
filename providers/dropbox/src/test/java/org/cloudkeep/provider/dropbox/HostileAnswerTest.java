package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.provider.dropbox.DropboxDouble.Canned;
import org.junit.jupiter.api.Test;

/** A server that lies: names and paths that would climb out, or fields that are missing or wrong. */
class HostileAnswerTest extends DoubleTest {

    private static final String LIST = "/2/files/list_folder";
    private static final String CONTINUE = "/2/files/list_folder/continue";
    private static final String HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Stands for the JSON escape of '/', which {@link #page} writes into the raw answer. */
    private static final String SLASH = "<slash>";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void namesAndPathsThatWouldClimbOutAreLeftOut() throws Exception {
        server.mkdirs("/Photos");
        ArrayNode entries = json.createArrayNode()
                .add(file("ok.txt", "/Photos/ok.txt"))
                .add(file("..", "/Photos/.."))
                .add(file(".", "/Photos/."))
                .add(file("", "/Photos/"))
                .add(file("b", "/Photos/a/b")) // a grandchild in a folder listing
                .add(file("a" + SLASH + "b", "/Photos/a" + SLASH + "b")) // "/" arriving as a JSON escape
                .add(file("passwd", "/etc/passwd")) // outside the folder listed
                .add(file("passwd", "/Photos/../etc/passwd"))
                .add(file("x\u0000y", "/Photos/x\u0000y"))
                .add(file("other-name", "/Photos/real-name")) // name and path_display disagree
                .add(file("no-display", null))
                .add(file("a%2Fb", "/Photos/a%2Fb")) // percent signs are just characters in JSON: kept
                .add(file("case.txt", "/photos/case.txt")) // Dropbox may give parent folders another case
                .add(file("doc.paper", "/Photos/doc.paper").put("is_downloadable", false)) // a cloud document
                .add(json.createObjectNode()
                        .put(".tag", "symlink_v9")
                        .put("name", "odd")
                        .put("path_display", "/Photos/odd"));
        server.enqueue(LIST, page(entries, false));
        try (ProviderSession session = connect()) {
            EntryPage page = session.list("/Photos", null);
            assertEquals(
                    List.of("/Photos/ok.txt", "/Photos/a%2Fb", "/Photos/case.txt"),
                    page.entries().stream().map(Entry::path).toList());
            assertNull(page.nextPageToken());
        }
    }

    @Test
    void aRecursiveListingKeepsDeepEntriesButNothingOutside() throws Exception {
        server.mkdirs("/Photos");
        ArrayNode entries = json.createArrayNode()
                .add(folder("Photos", "/Photos")) // Dropbox names the folder itself first
                .add(folder("2024", "/Photos/2024"))
                .add(file("a.jpg", "/PHOTOS/2024/a.jpg"))
                .add(file("b.jpg", "/Photos/2024/../../b.jpg"))
                .add(file("c.jpg", "/Photoshop/c.jpg")); // shares the prefix, but is not below it
        server.enqueue(LIST, page(entries, false));
        try (ProviderSession session = connect()) {
            assertEquals(
                    List.of("/Photos/2024", "/Photos/2024/a.jpg"),
                    session.listTree("/Photos", null).entries().stream()
                            .map(Entry::path)
                            .toList());
        }
    }

    @Test
    void changesOutsideTheWatchedFolderAreLeftOut() throws Exception {
        server.mkdirs("/Photos");
        try (ProviderSession session = connect()) {
            String cursor = session.changeCursor("/Photos");
            ArrayNode entries = json.createArrayNode()
                    .add(json.createObjectNode()
                            .put(".tag", "deleted")
                            .put("name", "gone.jpg")
                            .put("path_display", "/Photos/gone.jpg"))
                    .add(json.createObjectNode()
                            .put(".tag", "deleted")
                            .put("name", "..")
                            .put("path_display", "/Photos/.."))
                    .add(json.createObjectNode()
                            .put(".tag", "deleted")
                            .put("name", "Documents")
                            .put("path_display", "/Documents"));
            server.enqueue(CONTINUE, page(entries, false));
            List<Change> changes = session.changesSince(cursor).changes();
            assertEquals(List.of(new Change("/Photos/gone.jpg", null)), changes);
        }
    }

    @Test
    void aFileWithoutSizeTimeOrAValidHashIsAMalformedAnswer() throws Exception {
        server.mkdirs("/Photos");
        try (ProviderSession session = connect()) {
            ObjectNode noSize = file("a", "/Photos/a");
            noSize.remove("size");
            assertMalformed(session, noSize, "size");
            assertMalformed(session, file("a", "/Photos/a").put("size", -1), "size");
            assertMalformed(session, file("a", "/Photos/a").put("size", "12"), "size");
            assertMalformed(session, file("a", "/Photos/a").put("server_modified", "yesterday"), "server_modified");
            assertMalformed(session, file("a", "/Photos/a").put("content_hash", "abc"), "content_hash");
        }
    }

    @Test
    void aFileWithoutHashIsListedWithoutOne() throws Exception {
        server.mkdirs("/Photos");
        ObjectNode noHash = file("a", "/Photos/a");
        noHash.remove("content_hash");
        server.enqueue(LIST, page(json.createArrayNode().add(noHash), false));
        try (ProviderSession session = connect()) {
            Entry entry = session.list("/Photos", null).entries().get(0);
            assertNull(entry.hash());
            assertEquals(12, entry.size());
        }
    }

    @Test
    void statRefusesAnAnswerAboutAnotherPath() throws Exception {
        server.write("/a.txt", utf8("a"));
        server.enqueue(
                "/2/files/get_metadata",
                Canned.json(200, file("passwd", "/etc/passwd").toString()));
        try (ProviderSession session = connect()) {
            assertThrows(PermanentProviderException.class, () -> session.stat("/a.txt"));
        }
    }

    @Test
    void pathsGivenToTheSessionAreChecked() throws Exception {
        try (ProviderSession session = connect()) {
            for (String bad : new String[] {"relative", "/a/../b", "/a//b", "/a/./b", "/a\u0000b", "/a/"}) {
                assertThrows(PermanentProviderException.class, () -> session.stat(bad), bad);
                assertThrows(PermanentProviderException.class, () -> session.list(bad, null), bad);
                assertThrows(PermanentProviderException.class, () -> session.open(bad, 0), bad);
            }
            assertThrows(PermanentProviderException.class, () -> session.changesSince("not-a-cursor"));
            assertThrows(PermanentProviderException.class, () -> session.changesSince("v1.%%%.abc"));
        }
    }

    private void assertMalformed(ProviderSession session, ObjectNode entry, String field) {
        server.enqueue(LIST, page(json.createArrayNode().add(entry), false));
        PermanentProviderException e =
                assertThrows(PermanentProviderException.class, () -> session.list("/Photos", null));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    private ObjectNode file(String name, String display) {
        ObjectNode node = json.createObjectNode()
                .put(".tag", "file")
                .put("name", name)
                .put("id", "id:x")
                .put("server_modified", "2024-01-02T03:04:05Z")
                .put("size", 12)
                .put("content_hash", HASH);
        if (display != null) {
            node.put("path_display", display).put("path_lower", display.toLowerCase(java.util.Locale.ROOT));
        }
        return node;
    }

    private ObjectNode folder(String name, String display) {
        return json.createObjectNode().put(".tag", "folder").put("name", name).put("path_display", display);
    }

    private Canned page(ArrayNode entries, boolean more) {
        ObjectNode body = json.createObjectNode().put("cursor", "AAA").put("has_more", more);
        body.set("entries", entries);
        return Canned.json(200, body.toString().replace(SLASH, "\\u002f"));
    }
}
