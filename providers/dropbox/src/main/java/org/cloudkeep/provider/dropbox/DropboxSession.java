package org.cloudkeep.provider.dropbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.ChangePage;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * One connected Dropbox account. Every call carries the access token; when it has expired (by its expiry time, or
 * because Dropbox answers {@code expired_access_token}) the session renews it with the refresh token, retries the
 * call once, and reports the new tokens through {@link #renewedCredentials()}.
 *
 * <p>Pages are Dropbox's: one {@code list_folder} or {@code list_folder/continue} call each, its cursor the page
 * token. Not thread-safe, as the api allows.
 */
final class DropboxSession implements ProviderSession {

    /** Entries per page; Dropbox takes 1 to 2000 and may return fewer. */
    static final int PAGE_SIZE = 1000;

    /** Prefix of this provider's change cursors, which carry the folder they watch besides Dropbox's cursor. */
    private static final String CURSOR_PREFIX = "v1.";

    private final DropboxClient client;
    private final DropboxOAuth2 oauth2;
    private Tokens tokens;
    private boolean renewed;

    DropboxSession(DropboxClient client, DropboxOAuth2 oauth2, Tokens tokens) {
        this.client = client;
        this.oauth2 = oauth2;
        this.tokens = tokens;
    }

    /** One cheap call that proves the credentials work (and renews an expired token). */
    void checkAccount() throws ProviderException {
        call(token -> client.rpc(token, "users/get_current_account", null));
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        return listing(folder, pageToken, false);
    }

    @Override
    public EntryPage listTree(String folder, String pageToken) throws ProviderException {
        return listing(folder, pageToken, true);
    }

    private EntryPage listing(String folder, String pageToken, boolean recursive) throws ProviderException {
        String checked = checkPath(folder);
        Metadata.Page page = page(checked, pageToken, recursive);
        List<Entry> entries = new ArrayList<>(page.entries().size());
        for (JsonNode node : page.entries()) {
            if (Metadata.tag(node).equals("deleted")) {
                continue; // a continue call may report deletions made meanwhile; a listing shows what is there
            }
            String path = Metadata.place(node, checked, !recursive);
            Entry entry = path == null ? null : Metadata.entry(node, path, "files/list_folder");
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new EntryPage(entries, page.hasMore() ? page.cursor() : null);
    }

    private Metadata.Page page(String folder, String cursor, boolean recursive) throws ProviderException {
        if (cursor != null) {
            return continued(cursor);
        }
        String route = "files/list_folder";
        ObjectNode arg = folderArg(folder, recursive).put("limit", PAGE_SIZE);
        return Metadata.page(call(token -> client.rpc(token, route, arg)), route);
    }

    private Metadata.Page continued(String cursor) throws ProviderException {
        String route = "files/list_folder/continue";
        ObjectNode arg = client.json().createObjectNode().put("cursor", cursor);
        return Metadata.page(call(token -> client.rpc(token, route, arg)), route);
    }

    @Override
    public String changeCursor(String folder) throws ProviderException {
        String checked = checkPath(folder);
        String route = "files/list_folder/get_latest_cursor";
        JsonNode answer = call(token -> client.rpc(token, route, folderArg(checked, true)));
        JsonNode cursor = answer.get("cursor");
        if (cursor == null || !cursor.isTextual() || cursor.asText().isEmpty()) {
            throw Metadata.malformed(route, "has no 'cursor'");
        }
        return wrap(checked, cursor.asText());
    }

    @Override
    public ChangePage changesSince(String cursor) throws ProviderException {
        int dot = cursor == null ? -1 : cursor.indexOf('.', CURSOR_PREFIX.length());
        if (dot < 0 || !cursor.startsWith(CURSOR_PREFIX)) {
            throw new PermanentProviderException("not a Dropbox change cursor of CloudKeep; ask changeCursor again");
        }
        String folder;
        try {
            folder = EntryPaths.normalize(new String(
                    Base64.getUrlDecoder().decode(cursor.substring(CURSOR_PREFIX.length(), dot)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException("a damaged Dropbox change cursor; ask changeCursor again", e);
        }
        Metadata.Page page = continued(cursor.substring(dot + 1));
        List<Change> changes = new ArrayList<>(page.entries().size());
        for (JsonNode node : page.entries()) {
            String path = Metadata.place(node, folder, false);
            if (path == null) {
                continue;
            }
            if (Metadata.tag(node).equals("deleted")) {
                changes.add(new Change(path, null));
            } else {
                Entry entry = Metadata.entry(node, path, "files/list_folder/continue");
                if (entry != null) {
                    changes.add(new Change(path, entry));
                }
            }
        }
        return new ChangePage(changes, wrap(folder, page.cursor()), page.hasMore());
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        String checked = checkPath(path);
        if (checked.equals(EntryPaths.ROOT)) {
            // Dropbox has no metadata for the root; one entry of its listing proves it can be read.
            String route = "files/list_folder";
            ObjectNode arg = folderArg(checked, false).put("limit", 1);
            Metadata.page(call(token -> client.rpc(token, route, arg)), route);
            return Entry.folder(EntryPaths.ROOT, Metadata.NO_TIME);
        }
        String route = "files/get_metadata";
        ObjectNode arg = client.json().createObjectNode().put("path", checked);
        JsonNode node = call(token -> client.rpc(token, route, arg));
        if (Metadata.tag(node).equals("deleted")) {
            throw new NotFoundException("nothing at " + Metadata.quote(checked) + " (deleted)");
        }
        String display = node.path("path_display").asText("");
        if (!display.equalsIgnoreCase(checked)) {
            throw Metadata.malformed(
                    route, "describes " + Metadata.quote(display) + ", not " + Metadata.quote(checked));
        }
        Entry entry = Metadata.entry(node, checked, route);
        if (entry == null) {
            throw new PermanentProviderException(
                    Metadata.quote(checked) + " cannot be backed up: Dropbox offers no " + "download of it");
        }
        return entry;
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        String checked = checkPath(path);
        if (checked.equals(EntryPaths.ROOT)) {
            throw new PermanentProviderException("'/' is a folder; only files can be opened");
        }
        if (offset < 0) {
            throw new PermanentProviderException("cannot open " + Metadata.quote(checked) + " at offset " + offset);
        }
        InputStream in = call(token -> client.download(token, checked, offset).orElse(null));
        if (in != null) {
            return in;
        }
        // 416: the offset is at or past the end. At the end is allowed (nothing left to read); past it is not.
        Entry entry = stat(checked);
        if (entry.size() == offset) {
            return InputStream.nullInputStream();
        }
        throw new PermanentProviderException("cannot open " + Metadata.quote(checked) + " at offset " + offset
                + ": it has only " + entry.size() + " bytes");
    }

    @Override
    public Map<String, String> renewedCredentials() {
        return renewed ? tokens.toCredentials() : Map.of();
    }

    @Override
    public void close() {
        // Nothing is held between calls; the HTTP client belongs to the provider.
    }

    /** A call with the access token; renews it first when it has expired, and once more if Dropbox says so. */
    private <T> T call(Call<T> call) throws ProviderException {
        if (tokens.refreshable() && tokens.expiredAt(Instant.now())) {
            renew();
        }
        try {
            return call.run(tokens.accessToken());
        } catch (ExpiredCredentialsException e) {
            if (!tokens.refreshable()) {
                throw e;
            }
            renew();
            return call.run(tokens.accessToken());
        }
    }

    private void renew() throws ProviderException {
        tokens = oauth2.refresh(tokens);
        renewed = true;
    }

    private ObjectNode folderArg(String folder, boolean recursive) {
        return client.json()
                .createObjectNode()
                .put("path", apiPath(folder))
                .put("recursive", recursive)
                .put("include_deleted", false);
    }

    /** Dropbox names the root "" and every other path as we do. */
    private static String apiPath(String path) {
        return path.equals(EntryPaths.ROOT) ? "" : path;
    }

    private static String checkPath(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("no path given; the root is \"/\"");
        }
        try {
            return EntryPaths.normalize(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }

    private static String wrap(String folder, String dropboxCursor) {
        return CURSOR_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(folder.getBytes(StandardCharsets.UTF_8))
                + "." + dropboxCursor;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(String accessToken) throws ProviderException;
    }
}
