package org.cloudkeep.provider.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite against a real WebDAV server serving a temporary folder. Subclasses start
 * the server and say how the suite writes to it.
 */
abstract class WebDavConformanceTest extends ProviderConformanceTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";

    /** A started server: where the account's root is, how the suite writes to it, how to stop it. */
    record Server(URI url, FixtureWriter writer, AutoCloseable stopper) {}

    private final CloudDriveProvider provider = new WebDavProvider(WebDavSettings.DEFAULTS);
    private Path folder;
    private Path work;
    private Server server;

    /** Starts the server on {@code folder}, with its configuration and logs in {@code work}. */
    abstract Server start(Path folder, Path work, String user, String password) throws IOException;

    @BeforeAll
    void startServer() throws IOException {
        folder = Files.createTempDirectory("webdav-served-");
        work = Files.createTempDirectory("webdav-server-");
        server = start(folder, work, USER, PASSWORD);
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            if (server != null) {
                server.stopper().close();
            }
        } finally {
            deleteTree(folder);
            deleteTree(work);
        }
    }

    @Override
    protected CloudDriveProvider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> credentials() {
        return credentials(PASSWORD);
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        return credentials(PASSWORD + "!");
    }

    @Override
    protected FixtureWriter fixture() {
        return server.writer();
    }

    @Test
    void aWrongPasswordIsRefusedAtConnectWithoutEchoingIt() {
        BadCredentialsException refused =
                assertThrows(BadCredentialsException.class, () -> provider.connect(credentials("wrong password")));
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong password"), "the message repeats the password");
    }

    @Test
    void aUrlWithNothingBehindItIsRefusedAtConnect() {
        Map<String, String> credentials = Map.of(
                WebDavProvider.URL_FIELD,
                        server.url().resolve("no-such-folder/").toString(),
                WebDavProvider.USERNAME_FIELD, USER,
                WebDavProvider.PASSWORD_FIELD, PASSWORD);
        BadCredentialsException refused =
                assertThrows(BadCredentialsException.class, () -> provider.connect(credentials));
        assertTrue(refused.getMessage().contains("no-such-folder"), refused.getMessage());
    }

    /** Lists the suite's 10,000-file folder and prints how long it took (a figure, not a check). */
    @Test
    void tenThousandEntriesArriveInFullPagesOfOneAnswer() throws Exception {
        String many = fixtureRoot() + "/many";
        Set<String> names = new HashSet<>();
        int pages = 0;
        long start = System.nanoTime();
        try (ProviderSession session = provider.connect(credentials())) {
            String token = null;
            do {
                EntryPage page = session.list(many, token);
                pages++;
                if (page.nextPageToken() != null) {
                    assertEquals(WebDavSettings.MAX_PAGE_SIZE, page.entries().size(), "a page before the last");
                }
                for (Entry entry : page.entries()) {
                    assertTrue(names.add(entry.name()), "listed twice: " + entry.path());
                    assertNull(entry.hash(), "this server keeps no checksums");
                }
                token = page.nextPageToken();
                assertTrue(pages <= 11, "more pages than 10,000 entries fill");
            } while (token != null);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(10_000, names.size());
        assertEquals(10, pages);
        System.out.printf(
                "%s: listed 10,000 entries in %d pages in %d ms%n", getClass().getSimpleName(), pages, millis);
    }

    private Map<String, String> credentials(String password) {
        return Map.of(
                WebDavProvider.URL_FIELD, server.url().toString(),
                WebDavProvider.USERNAME_FIELD, USER,
                WebDavProvider.PASSWORD_FIELD, password);
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Neither Apache mod_dav nor rclone keeps ownCloud checksums; WebDAV hashes exist only on
     * Nextcloud and ownCloud. Parsing oc:checksums is tested against canned answers in {@link
     * HostileAnswersTest}.
     */
    @Override
    protected boolean serverGivesHashes() {
        return false;
    }
}
