package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A session on one Baidu Netdisk account.
 *
 * <p>Names from the server are never trusted: a child's path is built with {@link
 * EntryPaths#child} from its {@code server_filename} and must equal the {@code path} Baidu gives;
 * an entry with an invalid name, or that is not where the listing says it is, is skipped and
 * logged. Entries carry no hash (the listing's {@code md5} is not the data's MD5 for newer uploads);
 * downloads from offset 0 are checked against {@code Content-MD5} instead.
 *
 * <p>An access token that Baidu calls expired (errno 111) or refuses (errno -6) is renewed once per
 * call with the refresh token; the renewed tokens are in {@link #renewedCredentials()}.
 */
final class BaiduSession implements ProviderSession {

    private static final System.Logger LOG = System.getLogger(BaiduSession.class.getName());

    /**
     * Renew this long before the known expiry (tokens live 30 days). Refresh tokens are single-use,
     * so the cloud's daily traversal should be the one that renews (and stores) them, well before a
     * device — which gets the stored tokens with each group and keeps none — would have to.
     */
    private static final Duration REFRESH_MARGIN = Duration.ofDays(7);
    /** More pages than this while looking for one name means the server's paging never ends. */
    private static final int MAX_PAGES = 100_000;
    /** Seconds since 1970 beyond the year 9999 are not a time. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final BaiduClient client;
    private final BaiduOAuth oauth;
    private final int pageSize;
    private Tokens tokens;
    private boolean renewed;

    BaiduSession(BaiduClient client, BaiduOAuth oauth, Tokens tokens) {
        this.client = client;
        this.oauth = oauth;
        this.pageSize = client.settings().pageSize();
        this.tokens = tokens;
    }

    /** Checks the credentials with a call that lists nothing, renewing them if they expired. */
    void verify() throws ProviderException {
        String what = "checking the Baidu account";
        authorized(token -> client.api(BaiduClient.NAS, token, what, "method", "uinfo"));
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        String dir = path(folder);
        long start = offset(pageToken);
        Page page = children(dir, start);
        List<Entry> entries = new ArrayList<>(page.items().size());
        for (Item item : page.items()) {
            entries.add(item.entry());
        }
        // Baidu says nothing about more entries: a full page means there may be more.
        return new EntryPage(entries, page.count() >= pageSize ? Long.toString(start + page.count()) : null);
    }

    @Override
    public EntryPage listTree(String folder, String pageToken) throws ProviderException {
        String dir = path(folder);
        long cursor = offset(pageToken);
        String what = "listing the tree below " + quote(dir);
        JsonNode answer = authorized(token -> client.api(
                BaiduClient.MULTIMEDIA,
                token,
                what,
                "method",
                "listall",
                "path",
                dir,
                "recursion",
                "1",
                "start",
                Long.toString(cursor),
                "limit",
                Integer.toString(pageSize)));
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : Json.array(answer, "list", what)) {
            Item item = descendant(dir, node, what);
            if (item != null) {
                entries.add(item.entry());
            }
        }
        if (!Json.flag(answer, "has_more", what)) {
            return new EntryPage(entries, null);
        }
        long next = Json.number(answer, "cursor", what);
        if (next <= cursor) {
            throw Json.malformed(what, "the cursor " + next + " does not advance from " + cursor);
        }
        return new EntryPage(entries, Long.toString(next));
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        String checked = path(path);
        if (checked.equals(EntryPaths.ROOT)) {
            return Entry.folder(EntryPaths.ROOT, Instant.EPOCH); // Baidu gives the root no time
        }
        return find(checked).entry();
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        String checked = path(path);
        if (offset < 0) {
            throw new PermanentProviderException("cannot open " + quote(checked) + " at negative offset " + offset);
        }
        if (checked.equals(EntryPaths.ROOT)) {
            throw new PermanentProviderException("'/' is a folder; only files can be opened");
        }
        Item item = find(checked);
        if (item.entry().directory()) {
            throw new PermanentProviderException(quote(checked) + " is a folder; only files can be opened");
        }
        long size = item.entry().size();
        if (offset > size) {
            throw new PermanentProviderException(
                    "cannot open " + quote(checked) + " at offset " + offset + ": it has only " + size + " bytes");
        }
        if (offset == size) {
            return InputStream.nullInputStream();
        }
        String what = "downloading " + quote(checked);
        try {
            return download(item, offset, what);
        } catch (BaiduErrors.DlinkExpiredException e) {
            // A dlink lasts 8 hours and a fresh one is fetched per download; one more try covers a clock skew.
            LOG.log(Level.INFO, "{0}: the download link expired; fetching a fresh one", what);
            return download(item, offset, what);
        }
    }

    @Override
    public Map<String, String> renewedCredentials() {
        return renewed ? tokens.toCredentials() : Map.of();
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    private InputStream download(Item item, long offset, String what) throws ProviderException {
        URI dlink = dlink(item, what);
        long length = item.entry().size() - offset;
        return authorized(token -> client.download(dlink, token, offset, length, what));
    }

    /** A fresh download link for a file; never stored, since it expires. */
    private URI dlink(Item item, String what) throws ProviderException {
        long fsId = item.fsId();
        JsonNode answer = authorized(token -> client.api(
                BaiduClient.MULTIMEDIA, token, what, "method", "filemetas", "fsids", "[" + fsId + "]", "dlink", "1"));
        for (JsonNode node : Json.array(answer, "list", what)) {
            if (Json.number(node, "fs_id", what) == fsId) {
                return client.dlink(Json.text(node, "dlink", what), what);
            }
        }
        throw new NotFoundException(
                what + ": Baidu no longer knows the file (fs_id " + fsId + "); it was deleted since it was listed");
    }

    /** One page of a folder's children, as Baidu numbers them from {@code start}. */
    private Page children(String folder, long start) throws ProviderException {
        String what = "listing " + quote(folder);
        JsonNode answer = authorized(token -> client.api(
                BaiduClient.FILE,
                token,
                what,
                "method",
                "list",
                "dir",
                folder,
                "start",
                Long.toString(start),
                "limit",
                Integer.toString(pageSize),
                "order",
                "name"));
        JsonNode list = Json.array(answer, "list", what);
        List<Item> items = new ArrayList<>(list.size());
        for (JsonNode node : list) {
            Item item = child(folder, node, what);
            if (item != null) {
                items.add(item);
            }
        }
        return new Page(items, list.size());
    }

    /** A file or folder by path, found by listing its folder page by page. */
    private Item find(String path) throws ProviderException {
        String parent = EntryPaths.parent(path);
        long start = 0;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            Page page;
            try {
                page = children(parent, start);
            } catch (NotFoundException e) {
                throw new NotFoundException("nothing at " + quote(path) + ": " + e.getMessage(), e);
            }
            for (Item item : page.items()) {
                if (item.entry().path().equals(path)) {
                    return item;
                }
            }
            if (page.count() < pageSize) {
                throw new NotFoundException("nothing at " + quote(path));
            }
            start += page.count();
        }
        throw Json.malformed("looking for " + quote(path), "the listing of its folder never ends");
    }

    /** A listed child of a folder, or {@code null} when it must be skipped. */
    private Item child(String folder, JsonNode node, String what) throws PermanentProviderException {
        String name = Json.text(node, "server_filename", what);
        String path = Json.text(node, "path", what);
        if (!EntryPaths.isValidName(name)) {
            skip(what, "an entry with the invalid name '" + EntryPaths.printable(name) + "'");
            return null;
        }
        String expected = EntryPaths.child(folder, name);
        if (!expected.equals(path)) {
            skip(
                    what,
                    "'" + EntryPaths.printable(name) + "', whose path '" + EntryPaths.printable(path)
                            + "' is not in the folder listed");
            return null;
        }
        return item(expected, node, what);
    }

    /** An entry of a recursive listing, or {@code null} when it must be skipped. */
    private Item descendant(String folder, JsonNode node, String what) throws PermanentProviderException {
        String name = Json.text(node, "server_filename", what);
        String path = Json.text(node, "path", what);
        String prefix = folder.equals(EntryPaths.ROOT) ? EntryPaths.ROOT : folder + "/";
        boolean valid;
        try {
            valid = EntryPaths.normalize(path).startsWith(prefix)
                    && path.length() > prefix.length()
                    && EntryPaths.name(path).equals(name);
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            skip(
                    what,
                    "'" + EntryPaths.printable(name) + "' at '" + EntryPaths.printable(path)
                            + "', which is not a valid path below the folder listed");
            return null;
        }
        return item(path, node, what);
    }

    private static Item item(String path, JsonNode node, String what) throws PermanentProviderException {
        boolean directory = Json.flag(node, "isdir", what);
        long fsId = Json.number(node, "fs_id", what);
        long mtime = Json.number(node, "server_mtime", what);
        if (mtime < 0 || mtime > MAX_EPOCH_SECOND) {
            throw Json.malformed(what, "server_mtime " + mtime + " of '" + EntryPaths.printable(path) + "'");
        }
        Instant modified = Instant.ofEpochSecond(mtime);
        if (directory) {
            return new Item(Entry.folder(path, modified), fsId);
        }
        long size = Json.number(node, "size", what);
        if (size < 0) {
            throw Json.malformed(what, "negative size " + size + " of '" + EntryPaths.printable(path) + "'");
        }
        // No hash: Baidu's md5 field is not the MD5 of the data for newer uploads.
        return new Item(Entry.file(path, size, modified, null), fsId);
    }

    private static void skip(String what, String entry) {
        LOG.log(Level.WARNING, "{0}: skipped {1}; it is not backed up", what, entry);
    }

    /** A call with the access token; renews the token (once) when it expired or is refused. */
    private <T> T authorized(Call<T> call) throws ProviderException {
        boolean refreshed = false;
        if (tokens.canRefresh() && tokens.expiresBefore(Instant.now().plus(REFRESH_MARGIN))) {
            refresh("it expires at " + tokens.expiresAt());
            refreshed = true;
        }
        try {
            return call.run(tokens.accessToken());
        } catch (BadCredentialsException e) {
            if (refreshed || !tokens.canRefresh()) {
                throw e;
            }
            refresh(e.getMessage());
            return call.run(tokens.accessToken());
        }
    }

    private void refresh(String why) throws ProviderException {
        tokens = oauth.refresh(tokens.refreshToken(), why);
        renewed = true;
        LOG.log(Level.INFO, "renewed the Baidu access token: {0}", why);
    }

    private static String path(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("no path given; the root is \"/\"");
        }
        try {
            return EntryPaths.normalize(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }

    /** A page token: the position Baidu numbers the next page from. */
    private static long offset(String pageToken) throws PermanentProviderException {
        if (pageToken == null) {
            return 0;
        }
        if (!pageToken.matches("[0-9]{1,15}")) {
            throw new PermanentProviderException("invalid page token '" + EntryPaths.printable(pageToken)
                    + "': pass the token of the page before, or null");
        }
        return Long.parseLong(pageToken);
    }

    private static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }

    /** One call made with an access token. */
    private interface Call<T> {
        T run(String accessToken) throws ProviderException;
    }

    /** A listed entry with the id Baidu addresses it by. */
    private record Item(Entry entry, long fsId) {}

    /** The entries kept from one page, and how many the page held before any was skipped. */
    private record Page(List<Item> items, int count) {}
}
