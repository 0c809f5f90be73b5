package org.cloudkeep.provider.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.ChangePage;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite. A provider's test class extends this class, starts its real server in a
 * {@code @BeforeAll} and stops it in an {@code @AfterAll}, and answers the four abstract methods.
 * The suite writes its fixture tree once, under {@link #fixtureRoot()}, through {@link #fixture()},
 * then checks what the provider makes of it. See providers/tck/README.md.
 *
 * <p>Keep the server and its folder in static fields or fields set in {@code @BeforeAll}: a
 * {@code @TempDir} instance field is a new folder for every test method, so the fixture written
 * by the first test would be gone for the second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderConformanceTest {

    /** More pages than this for one folder means the page tokens never end. */
    private static final int MAX_PAGES = 100_000;

    private FixtureTree tree;
    private Instant written;

    /** The provider under test, configured to talk to the test's server. */
    protected abstract CloudDriveProvider provider();

    /** Credentials of the account the fixture is written to. */
    protected abstract Map<String, String> credentials();

    /** The same account with a wrong password, key or token. */
    protected abstract Map<String, String> wrongCredentials();

    /**
     * Writes to that account through the server itself. It must be thread-safe: the suite writes
     * its 10,000-file folder from several threads.
     */
    protected abstract FixtureWriter fixture();

    /**
     * Whether this server gives a hash for the files the suite writes. Override with false for a
     * back end whose hashes are optional (WebDAV has them only where the server keeps ownCloud
     * checksums): then every hash that is given is still checked, but none is required.
     */
    protected boolean serverGivesHashes() {
        return !provider().descriptor().hashAlgorithms().isEmpty();
    }

    /** The provider path the suite writes its tree under; it must not exist before. */
    protected String fixtureRoot() {
        return "/tck";
    }

    // Not @BeforeAll: a subclass's @BeforeAll (which starts the server) runs after the superclass's.
    @BeforeEach
    final void writeFixtureOnce() throws Exception {
        if (tree == null) {
            FixtureTree fresh = new FixtureTree(EntryPaths.normalize(fixtureRoot()));
            written = Instant.now();
            fresh.writeTo(fixture());
            tree = fresh;
        }
    }

    @Test
    void descriptorIsWellFormed() {
        ProviderDescriptor descriptor = provider().descriptor();
        Set<String> fields = new HashSet<>();
        for (CredentialField field : descriptor.credentials()) {
            assertTrue(fields.add(field.name()), "credential field listed twice: " + field.name());
        }
        for (String key : credentials().keySet()) {
            assertTrue(
                    fields.contains(key),
                    "the test's credentials use '" + key + "', which the descriptor does not declare");
        }
        for (String algorithm : descriptor.hashAlgorithms()) {
            assertNotNull(provider().hasher(algorithm), "no hasher for the declared algorithm " + algorithm);
        }
    }

    @Test
    void walkFolderByFolderFindsTheWholeTree() throws Exception {
        Map<String, Entry> found = walk();
        Set<String> expected = new TreeSet<>(tree.folders());
        expected.addAll(tree.files().keySet());
        expected.remove(EntryPaths.normalize(fixtureRoot()));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found.keySet());
        Set<String> unexpected = new TreeSet<>(found.keySet());
        unexpected.removeAll(expected);
        assertTrue(
                missing.isEmpty() && unexpected.isEmpty(),
                "listing differs from the fixture: missing " + sample(missing) + ", unexpected " + sample(unexpected));
        for (String folder : tree.folders()) {
            Entry entry = found.get(folder);
            assertTrue(entry == null || entry.directory(), folder + " should be a folder");
        }
        for (Map.Entry<String, byte[]> file : tree.files().entrySet()) {
            Entry entry = found.get(file.getKey());
            assertFalse(entry.directory(), file.getKey() + " should be a file");
            assertEquals(file.getValue().length, entry.size(), "size of " + file.getKey());
        }
    }

    @Test
    void namesArriveExactlyAsWritten() throws Exception {
        try (ProviderSession session = connect()) {
            assertEquals(List.of(FixtureTree.NFC), names(session, tree.path("nfc")), "NFC name");
            assertEquals(List.of(FixtureTree.NFD), names(session, tree.path("nfd")), "NFD name (not normalised)");
            assertEquals(List.of("\u6587\u4ef6.txt"), names(session, tree.path("\u4e2d\u6587")), "CJK name");
            assertEquals(List.of("\ud83d\ude00 smile.txt"), names(session, tree.path("emoji")), "emoji name");
            assertEquals(List.of(FixtureTree.LONG_NAME), names(session, tree.path("long")), "255-byte name");
            assertEquals(List.of("Readme.md"), names(session, tree.path("case1")), "case kept");
            assertEquals(List.of("README.md"), names(session, tree.path("case2")), "case kept");
            assertEquals(List.of("file name.txt"), names(session, tree.path("with space")), "space kept");
        }
    }

    @Test
    void aFolderOf10000EntriesArrivesInPagesWithoutLossOrRepeat() throws Exception {
        String folder = tree.path("many");
        Set<String> seen = new HashSet<>();
        int pages = 0;
        try (ProviderSession session = connect()) {
            String token = null;
            do {
                EntryPage page = session.list(folder, token);
                pages++;
                for (Entry entry : page.entries()) {
                    assertEquals(
                            folder, EntryPaths.parent(entry.path()), "not a child of " + folder + ": " + entry.path());
                    assertTrue(seen.add(entry.path()), "listed twice: " + entry.path());
                }
                token = page.nextPageToken();
                assertTrue(pages < MAX_PAGES, "the page tokens of " + folder + " never end");
            } while (token != null);
        }
        assertEquals(FixtureTree.MANY, seen.size(), "entries in " + folder + " (" + pages + " pages)");
    }

    @Test
    void emptyFolderAndEmptyFile() throws Exception {
        try (ProviderSession session = connect()) {
            assertEquals(List.of(), names(session, tree.path("empty-folder")));
            Entry folder = session.stat(tree.path("empty-folder"));
            assertTrue(folder.directory(), "empty-folder is a folder");
            Entry empty = session.stat(tree.path("empty.bin"));
            assertFalse(empty.directory());
            assertEquals(0, empty.size());
            assertArrayEquals(new byte[0], read(session, empty.path(), 0));
        }
    }

    @Test
    void aTenLevelDeepFileIsReachable() throws Exception {
        String leaf = tree.files().keySet().stream()
                .filter(p -> p.endsWith("/leaf.txt"))
                .findFirst()
                .orElseThrow();
        try (ProviderSession session = connect()) {
            String folder = tree.path("deep");
            for (int level = 1; level <= FixtureTree.DEPTH; level++) {
                assertEquals(List.of("d" + level), names(session, folder), "below " + folder);
                folder = folder + "/d" + level;
            }
            assertEquals(List.of("leaf.txt"), names(session, folder));
            assertArrayEquals(tree.files().get(leaf), read(session, leaf, 0));
        }
    }

    @Test
    void statAgreesWithTheListing() throws Exception {
        Map<String, Entry> listed = walk();
        try (ProviderSession session = connect()) {
            for (String path : sampleOfFiles()) {
                Entry stat = session.stat(path);
                Entry entry = listed.get(path);
                assertEquals(path, stat.path());
                assertEquals(entry.size(), stat.size(), "size of " + path);
                assertFalse(stat.directory(), path);
                assertEquals(entry.hash(), stat.hash(), "hash of " + path);
            }
            assertTrue(session.stat(tree.path("deep/d1")).directory(), "stat of a folder");
        }
    }

    @Test
    void everyFileReadsBackByteForByte() throws Exception {
        try (ProviderSession session = connect()) {
            for (String path : sampleOfFiles()) {
                assertArrayEquals(tree.files().get(path), read(session, path, 0), "content of " + path);
            }
        }
    }

    @Test
    void rangedReadsStartAtTheOffset() throws Exception {
        String path = tree.path(FixtureTree.BIG);
        byte[] content = tree.files().get(path);
        int block = 4 * 1024 * 1024;
        long[] offsets = provider().descriptor().offers(Capability.RANGED_READS)
                ? new long[] {0, 1, 65_537, block - 1, block, block + 1, content.length - 1, content.length}
                : new long[] {0};
        try (ProviderSession session = connect()) {
            for (long offset : offsets) {
                byte[] got = read(session, path, offset);
                assertArrayEquals(
                        Arrays.copyOfRange(content, (int) offset, content.length), got, "read from offset " + offset);
            }
        }
    }

    @Test
    void hashesMatchTheBytesWithTheProvidersOwnHasher() throws Exception {
        ProviderDescriptor descriptor = provider().descriptor();
        Map<String, Entry> listed = walk();
        int hashed = 0;
        try (ProviderSession session = connect()) {
            for (String path : sampleOfFiles()) {
                ContentHash hash = listed.get(path).hash();
                if (descriptor.hashAlgorithms().isEmpty()) {
                    assertNull(hash, "the descriptor declares no hash algorithm, yet " + path + " has a hash");
                    continue;
                }
                if (hash == null) {
                    continue; // a back end may lack a hash for some files (S3 multipart uploads)
                }
                assertTrue(
                        descriptor.hashAlgorithms().contains(hash.algorithm()),
                        path + " has a hash in " + hash.algorithm() + ", not declared in "
                                + descriptor.hashAlgorithms());
                ContentHasher hasher = provider().hasher(hash.algorithm());
                byte[] content = tree.files().get(path);
                hasher.update(content, 0, content.length);
                ContentHash computed = hasher.finish();
                assertEquals(hash.algorithm(), computed.algorithm());
                assertTrue(
                        hash.value().equalsIgnoreCase(computed.value()),
                        "hash of " + path + ": provider says " + hash.value() + ", the bytes give " + computed.value());
                hashed++;
            }
        }
        if (serverGivesHashes()) {
            assertTrue(
                    hashed > 0, "the descriptor declares " + descriptor.hashAlgorithms() + " but no file has a hash");
        }
    }

    @Test
    void modifiedTimesAreWhenTheFilesWereWritten() throws Exception {
        Map<String, Entry> listed = walk();
        // Generous: servers keep seconds or less, and the writer may run on a slow machine.
        Instant from = written.minus(Duration.ofMinutes(10));
        Instant to = Instant.now().plus(Duration.ofMinutes(10));
        for (String path : sampleOfFiles()) {
            Instant modified = listed.get(path).modified();
            assertTrue(
                    !modified.isBefore(from) && !modified.isAfter(to),
                    "modified time of " + path + " is " + modified + ", written about " + written);
        }
    }

    @Test
    void aSecondListingSeesAddedModifiedAndDeletedFiles() throws Exception {
        String folder = tree.path("changes");
        FixtureWriter writer = fixture();
        writer.write(folder + "/keep.txt", bytes("kept"));
        writer.write(folder + "/modify.txt", bytes("before"));
        writer.write(folder + "/delete.txt", bytes("to be deleted"));
        boolean cursors = provider().descriptor().offers(Capability.CHANGE_CURSOR);
        try (ProviderSession session = connect()) {
            Map<String, Entry> before = entries(session, folder);
            assertEquals(Set.of(folder + "/keep.txt", folder + "/modify.txt", folder + "/delete.txt"), before.keySet());
            String cursor = cursors ? session.changeCursor(folder) : null;

            writer.write(folder + "/added.txt", bytes("added later"));
            writer.write(folder + "/modify.txt", bytes("after, and longer"));
            writer.delete(folder + "/delete.txt");

            Map<String, Entry> after = entries(session, folder);
            assertEquals(Set.of(folder + "/keep.txt", folder + "/modify.txt", folder + "/added.txt"), after.keySet());
            assertEquals(before.get(folder + "/keep.txt"), after.get(folder + "/keep.txt"), "an unchanged file");
            assertEquals(
                    "after, and longer".length(),
                    after.get(folder + "/modify.txt").size());
            assertArrayEquals(bytes("after, and longer"), read(session, folder + "/modify.txt", 0));
            assertThrows(NotFoundException.class, () -> session.stat(folder + "/delete.txt"));

            if (cursors) {
                Set<String> changed = new TreeSet<>();
                String next = cursor;
                for (int round = 0; round < MAX_PAGES; round++) {
                    ChangePage page = session.changesSince(next);
                    for (Change change : page.changes()) {
                        changed.add(change.path());
                    }
                    next = page.cursor();
                    if (!page.more()) {
                        break;
                    }
                }
                assertTrue(
                        changed.containsAll(
                                Set.of(folder + "/added.txt", folder + "/modify.txt", folder + "/delete.txt")),
                        "changes since the cursor: " + changed);
                assertFalse(changed.contains(folder + "/keep.txt"), "an unchanged file reported as changed");
            }
        }
    }

    @Test
    void aMissingPathIsNotFound() throws Exception {
        try (ProviderSession session = connect()) {
            assertThrows(NotFoundException.class, () -> session.stat(tree.path("no such file.txt")));
            assertThrows(NotFoundException.class, () -> session.open(tree.path("no such file.txt"), 0)
                    .close());
            assertThrows(NotFoundException.class, () -> session.list(tree.path("no such folder"), null));
        }
    }

    @Test
    void pathsThatClimbOutAreRefused() throws Exception {
        try (ProviderSession session = connect()) {
            for (String hostile : List.of("/../etc/passwd", tree.path("../../etc/passwd"), "relative/path", "/a/./b")) {
                try {
                    Entry entry = session.stat(hostile);
                    fail("stat of '" + hostile + "' answered " + entry);
                } catch (IllegalArgumentException | ProviderException expected) {
                    // refused: either the path check or the back end said no
                }
            }
        }
    }

    @Test
    void wrongCredentialsAreRefusedAsSuch() {
        assertThrows(BadCredentialsException.class, () -> {
            try (ProviderSession session = provider().connect(wrongCredentials())) {
                session.list(EntryPaths.normalize(fixtureRoot()), null);
            }
        });
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A session on the account; the caller closes it. */
    protected final ProviderSession connect() throws ProviderException {
        return provider().connect(credentials());
    }

    /** Every entry below the fixture root (not under changes/), walked folder by folder. */
    private Map<String, Entry> walk() throws ProviderException {
        Map<String, Entry> found = new TreeMap<>();
        String changes = tree.path("changes");
        try (ProviderSession session = connect()) {
            List<String> folders = new ArrayList<>(List.of(EntryPaths.normalize(fixtureRoot())));
            while (!folders.isEmpty()) {
                String folder = folders.remove(folders.size() - 1);
                for (Entry entry : entries(session, folder).values()) {
                    if (entry.path().equals(changes) || entry.path().startsWith(changes + "/")) {
                        continue;
                    }
                    assertNull(found.put(entry.path(), entry), "listed twice: " + entry.path());
                    if (entry.directory()) {
                        folders.add(entry.path());
                    }
                }
            }
        }
        return found;
    }

    /** The children of one folder, every page, checked to be direct children. */
    private static Map<String, Entry> entries(ProviderSession session, String folder) throws ProviderException {
        Map<String, Entry> children = new TreeMap<>();
        String token = null;
        int pages = 0;
        do {
            EntryPage page = session.list(folder, token);
            for (Entry entry : page.entries()) {
                assertEquals(folder, EntryPaths.parent(entry.path()), "not a child of " + folder + ": " + entry.path());
                assertNull(children.put(entry.path(), entry), "listed twice: " + entry.path());
            }
            token = page.nextPageToken();
            assertTrue(++pages < MAX_PAGES, "the page tokens of " + folder + " never end");
        } while (token != null);
        return children;
    }

    private static List<String> names(ProviderSession session, String folder) throws ProviderException {
        return entries(session, folder).values().stream()
                .map(Entry::name)
                .sorted()
                .toList();
    }

    /** Every file except most of many/ (ten of those are enough). */
    private List<String> sampleOfFiles() {
        List<String> sample = new ArrayList<>();
        for (String path : tree.files().keySet()) {
            if (!path.startsWith(tree.path("many/")) || path.endsWith("000.txt")) {
                sample.add(path);
            }
        }
        return sample;
    }

    private static byte[] read(ProviderSession session, String path, long offset)
            throws ProviderException, IOException {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sample(Set<String> paths) {
        return paths.size() <= 10
                ? paths.toString()
                : paths.stream().limit(10).toList() + " and " + (paths.size() - 10) + " more";
    }
}
