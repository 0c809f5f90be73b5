package org.cloudkeep.provider.webdav;

import static org.cloudkeep.provider.webdav.DavEntries.quote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.TimedBody;

/**
 * One account on a WebDAV server.
 *
 * <p>A folder is listed with one {@code PROPFIND Depth: 1} whose answer is parsed as it streams
 * in: the session keeps that answer open between pages and hands out up to a page size of entries
 * at a time, so a folder of any size costs one request and bounded memory. A page token is the
 * number of entries handed out before it; a token that does not continue the open answer (another
 * folder was listed meanwhile, or the session is new) re-issues the PROPFIND and skips that many.
 *
 * <p>Names come from the server's hrefs, decoded; only those naming exactly one valid name below
 * the listed folder are kept, the others are skipped and logged.
 */
final class WebDavSession implements ProviderSession {

    private static final System.Logger LOG = System.getLogger(WebDavSession.class.getName());

    private static final String PROPFIND_BODY = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"" + Multistatus.OWNCLOUD + "\"><d:prop>"
            + "<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><oc:checksums/>"
            + "</d:prop></d:propfind>";

    /** A Depth: 0 answer describes one resource; more than this many responses is not an answer. */
    private static final int MAX_STAT_RESPONSES = 16;

    /** Skipped entries logged one by one per listing; past this, only a count. */
    private static final int MAX_SKIPS_LOGGED = 20;

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

    private final DavUrls urls;
    private final String authorization;
    private final WebDavSettings settings;
    private final HttpClient client;
    private Listing listing;

    /** @param client the provider's client for listings and stats, shared by its sessions ({@link #client}) */
    WebDavSession(DavUrls urls, String username, String password, WebDavSettings settings, HttpClient client) {
        this.urls = urls;
        this.settings = settings;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.client = client;
    }

    /**
     * The client for listings and stats. One per provider, not per session: each client has a
     * selector thread and a pool of its own, and a device opens sessions by the dozen (one per
     * download thread and group). It holds no credentials (every request carries its own
     * Authorization) and keeps no cookies; downloads do not use it ({@link Download}).
     */
    static HttpClient client(WebDavSettings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                // Never follow: a redirect could carry the password to another server.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Checks that the URL is a WebDAV folder these credentials may read. Anything the person must
     * correct (password, URL, a folder that is not one) is a {@link BadCredentialsException}.
     */
    void checkRoot() throws ProviderException {
        Entry root;
        try {
            root = describe(EntryPaths.ROOT, "check of the folder " + urls.root());
        } catch (BadCredentialsException | TransientProviderException e) {
            throw e;
        } catch (NotFoundException e) {
            throw new BadCredentialsException("There is no WebDAV folder at " + urls.root() + "; check the URL.", e);
        } catch (ProviderException e) {
            throw new BadCredentialsException(
                    urls.root() + " cannot be used as a WebDAV folder with these credentials: " + e.getMessage(), e);
        }
        if (!root.directory()) {
            throw new BadCredentialsException(urls.root() + " is a file, not a folder; enter the folder's URL.");
        }
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        String path = checkedPath(folder);
        long start = position(pageToken);
        if (listing == null || !listing.folder.equals(path) || listing.position != start) {
            closeListing();
            listing = new Listing(path);
            listing.skip(start);
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (Entry entry; entries.size() < settings.pageSize() && (entry = listing.next()) != null; ) {
                entries.add(entry);
            }
            if (entries.size() == settings.pageSize() && listing.hasMore()) {
                return new EntryPage(entries, Long.toString(listing.position));
            }
            closeListing();
            return new EntryPage(entries, null);
        } catch (ProviderException | RuntimeException e) {
            closeListing();
            throw e;
        }
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        String checked = checkedPath(path);
        return describe(checked, "stat of " + quote(checked));
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        String checked = checkedPath(path);
        if (offset < 0) {
            throw new PermanentProviderException("Cannot open " + quote(checked) + " at negative offset " + offset);
        }
        String what = "download of " + quote(checked) + (offset > 0 ? " from byte " + offset : "");
        Download get = Download.get(
                urls.url(checked, false), authorization, offset > 0 ? "bytes=" + offset + "-" : null, settings, what);
        boolean handedOver = false;
        try {
            switch (get.status()) {
                case 200 -> {
                    InputStream body = get.body(what);
                    skipOffset(body, offset, what); // the server ignored Range: skip here
                    handedOver = true;
                    return body;
                }
                case 206 -> {
                    checkContentRange(get.header("Content-Range"), offset, what);
                    InputStream body = get.body(what);
                    handedOver = true;
                    return body;
                }
                case 416 -> {
                    // Apache answers 416 for a range starting at the very end; that is an empty rest.
                    get.abandon();
                    Entry entry = describe(checked, what);
                    if (!entry.directory() && entry.size() == offset) {
                        return InputStream.nullInputStream();
                    }
                    throw new PermanentProviderException("Cannot open " + quote(checked) + " at offset " + offset
                            + ": it has " + entry.size() + " bytes");
                }
                default -> throw HttpFailures.of(get.status(), get.headers(), what);
            }
        } finally {
            if (!handedOver) {
                get.abandon();
            }
        }
    }

    @Override
    public void close() {
        closeListing();
        // The client is the provider's, shared by its sessions: nothing else to free.
    }

    /** The entry at a path, from a {@code PROPFIND Depth: 0}. */
    private Entry describe(String path, String what) throws ProviderException {
        try (Multistatus answer = propfind(urls.url(path, false), 0, what)) {
            String target = urls.serverPath(path, false);
            for (int i = 0; i < MAX_STAT_RESPONSES; i++) {
                Multistatus.Response response = answer.next();
                if (response == null) {
                    break;
                }
                if (DavUrls.isSelf(target, urls.hrefPath(response.href()))) {
                    if (!response.ok()) {
                        throw new NotFoundException("The WebDAV server has nothing at " + quote(path));
                    }
                    return DavEntries.entry(path, response);
                }
            }
            throw new PermanentProviderException(
                    "The WebDAV server's answer to the " + what + " does not describe " + quote(path));
        }
    }

    /** Sends a PROPFIND and starts reading its multistatus answer; any other status is an error. */
    private Multistatus propfind(URI url, int depth, String what) throws ProviderException {
        HttpRequest request = request(url)
                .method("PROPFIND", HttpRequest.BodyPublishers.ofString(PROPFIND_BODY, StandardCharsets.UTF_8))
                .header("Depth", Integer.toString(depth))
                .header("Content-Type", "application/xml; charset=utf-8")
                .build();
        HttpResponse<InputStream> response = send(request, what);
        if (response.statusCode() != 207) {
            closeQuietly(response.body());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                throw new PermanentProviderException("The server answered the " + what + " with HTTP "
                        + response.statusCode() + " instead of 207 Multi-Status: " + url + " is no WebDAV folder");
            }
            throw HttpFailures.of(response.statusCode(), response.headers(), what);
        }
        return new Multistatus(response.body(), what);
    }

    private HttpRequest.Builder request(URI url) {
        return HttpRequest.newBuilder(url)
                .timeout(settings.requestTimeout())
                // Sent up front: waiting for a 401 challenge would double every request.
                .header("Authorization", authorization)
                .header("User-Agent", "CloudKeep-WebDAV");
    }

    private HttpResponse<InputStream> send(HttpRequest request, String what) throws ProviderException {
        try {
            return client.send(request, TimedBody.handler(settings.readTimeout()));
        } catch (HttpTimeoutException e) {
            throw new TransientProviderException("The WebDAV server did not answer the " + what + " in time", e);
        } catch (IOException e) {
            throw new TransientProviderException(
                    "Cannot reach the WebDAV server " + urls.root() + " for the " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientProviderException("Interrupted during the " + what, e);
        }
    }

    /** Reads and drops the first bytes of a whole-file answer, for a server that does not do ranges. */
    private static void skipOffset(InputStream body, long offset, String what) throws ProviderException {
        byte[] buffer = new byte[64 * 1024];
        long left = offset;
        try {
            while (left > 0) {
                int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new PermanentProviderException(
                            "Cannot start the " + what + ": the file has only " + (offset - left) + " bytes");
                }
                left -= n;
            }
        } catch (IOException e) {
            throw new TransientProviderException("The connection broke during the " + what + ": " + e, e);
        }
    }

    private static void checkContentRange(String range, long offset, String what) throws PermanentProviderException {
        Matcher matcher = CONTENT_RANGE.matcher(range.strip());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) != offset) {
            throw new PermanentProviderException("The WebDAV server answered the " + what
                    + " with another range than asked for: Content-Range " + quote(range));
        }
    }

    private void closeListing() {
        if (listing != null) {
            listing.answer.close();
            listing = null;
        }
    }

    private static String checkedPath(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("No path given; the root is \"/\"");
        }
        try {
            return EntryPaths.normalize(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }

    /** How many entries the pages before a token held. */
    private static long position(String pageToken) throws PermanentProviderException {
        if (pageToken == null) {
            return 0;
        }
        if (pageToken.isEmpty() || pageToken.length() > 18 || !pageToken.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new PermanentProviderException(
                    "Invalid page token " + quote(pageToken) + ": pass the token of the page before, or null");
        }
        return Long.parseLong(pageToken);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Abandoned on purpose; nothing to lose.
        }
    }

    /** The open answer to the PROPFIND of one folder, read as far as the pages handed out. */
    private final class Listing {

        final String folder;
        final Multistatus answer;
        private final String folderPath;
        /** Entries handed out so far: the token of the next page. */
        long position;

        private Entry pending;
        private long skipped;

        Listing(String folder) throws ProviderException {
            this.folder = folder;
            this.folderPath = urls.serverPath(folder, true);
            this.answer = propfind(urls.url(folder, true), 1, "listing of " + quote(folder));
        }

        /** Drops the entries of the pages before a token, for a token that did not continue this answer. */
        void skip(long count) throws ProviderException {
            while (position < count && next() != null) {
                // dropped: already handed out with an earlier page
            }
        }

        /** The next child, or {@code null} after the last. */
        Entry next() throws ProviderException {
            Entry entry = pending != null ? pending : read();
            pending = null;
            if (entry != null) {
                position++;
            }
            return entry;
        }

        /** Whether another child follows; reads it ahead. */
        boolean hasMore() throws ProviderException {
            if (pending == null) {
                pending = read();
            }
            return pending != null;
        }

        private Entry read() throws ProviderException {
            for (Multistatus.Response response; (response = answer.next()) != null; ) {
                String hrefPath = urls.hrefPath(response.href());
                if (DavUrls.isSelf(folderPath, hrefPath)) {
                    if (response.ok() && !response.collection()) {
                        throw new PermanentProviderException(quote(folder) + " is a file; only folders can be listed");
                    }
                    continue;
                }
                String name = DavUrls.childName(folderPath, hrefPath);
                if (name == null || !response.ok()) {
                    skipped(response, name == null ? "it is not a direct child with a valid name" : "its status");
                    continue;
                }
                return DavEntries.entry(EntryPaths.child(folder, name), response);
            }
            return null;
        }

        private void skipped(Multistatus.Response response, String why) {
            skipped++;
            if (skipped <= MAX_SKIPS_LOGGED) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipping the entry {0} in the listing of {1} at {2}: {3}",
                        quote(response.href()),
                        quote(folder),
                        urls.root(),
                        why);
            } else if (skipped == MAX_SKIPS_LOGGED + 1) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipping more entries in the listing of {0}; not logged one by one",
                        quote(folder));
            }
        }
    }
}
