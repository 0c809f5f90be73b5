package org.cloudkeep.provider.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;

/**
 * A session on one bucket (or a prefix inside it). Folders are key prefixes: {@code list} is one ListObjectsV2 call
 * with {@code delimiter=/} per page, {@code listTree} one call without it. Names come from the server and are never
 * trusted: a key that does not decode, lies outside the folder listed, or holds an empty, {@code "."} or {@code ".."}
 * name or a NUL is skipped and logged, never followed.
 */
final class S3Session implements ProviderSession {

    /** S3 has no folder times; every folder gets this one, so that listings and stat agree. */
    static final Instant FOLDER_TIME = Instant.EPOCH;

    private static final Pattern MD5_ETAG = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    private final System.Logger log = System.getLogger(S3Session.class.getName());
    private final S3Client client;
    private final S3Account account;
    private final S3Settings settings;

    S3Session(S3Client client, S3Settings settings) {
        this.client = client;
        this.account = client.account();
        this.settings = settings;
    }

    @Override
    public EntryPage list(String folder, String pageToken) throws ProviderException {
        String path = checked(folder);
        if (pageToken != null && pageToken.isEmpty()) {
            throw new PermanentProviderException("empty page token: pass the token of the page before, or null");
        }
        String prefix = account.folderPrefix(path);
        ListingParser.Page page = client.list(prefix, "/", settings.pageSize(), pageToken);
        String next = nextToken(page, pageToken, path);
        List<Entry> entries = new ArrayList<>(page.items().size());
        for (ListingParser.Item item : page.items()) {
            String rest = relative(item, prefix, path);
            if (rest == null || (rest.isEmpty() && !item.prefix())) {
                continue; // skipped, or the folder's own marker object
            }
            // A common prefix ends with the delimiter; its name is what comes before.
            String name = item.prefix() ? rest.substring(0, Math.max(0, rest.length() - 1)) : rest;
            if ((item.prefix() && !rest.endsWith("/")) || !EntryPaths.isValidName(name)) {
                skip(item, path, "it is not a direct child with a valid name");
                continue;
            }
            String child = EntryPaths.child(path, name);
            entries.add(item.prefix() ? Entry.folder(child, FOLDER_TIME) : file(child, item));
        }
        if (pageToken == null && page.items().isEmpty() && next == null) {
            ensureFolder(path);
        }
        return new EntryPage(withoutShadowedFiles(entries, path), next);
    }

    @Override
    public EntryPage listTree(String folder, String pageToken) throws ProviderException {
        String path = checked(folder);
        TreeCursor cursor = pageToken == null ? new TreeCursor(List.of(), null) : TreeCursor.decode(pageToken);
        String prefix = account.folderPrefix(path);
        ListingParser.Page page = client.list(prefix, null, settings.pageSize(), cursor.serverToken());
        String serverNext = nextToken(page, cursor.serverToken(), path);
        List<Entry> entries = new ArrayList<>(page.items().size());
        // Keys come sorted, so all keys below one folder are consecutive: a folder is new when the key before
        // (carried across pages in the token) was not below it. Folders without a marker object appear that way too.
        List<String> previous = cursor.folders();
        for (ListingParser.Item item : page.items()) {
            String rest = relative(item, prefix, path);
            if (rest == null || rest.isEmpty()) {
                continue;
            }
            boolean marker = rest.endsWith("/");
            String[] names = (marker ? rest.substring(0, rest.length() - 1) : rest).split("/", -1);
            if (item.prefix() || !allValid(names)) {
                skip(item, path, "it holds an empty, '.' or '..' name or a NUL");
                continue;
            }
            int folders = marker ? names.length : names.length - 1;
            int common = 0;
            while (common < Math.min(folders, previous.size()) && names[common].equals(previous.get(common))) {
                common++;
            }
            String at = path;
            for (int i = 0; i < folders; i++) {
                at = EntryPaths.child(at, names[i]);
                if (i >= common) {
                    entries.add(Entry.folder(at, FOLDER_TIME));
                }
            }
            if (!marker) {
                entries.add(file(EntryPaths.child(at, names[names.length - 1]), item));
            }
            previous = List.of(names).subList(0, folders);
        }
        if (pageToken == null && page.items().isEmpty() && serverNext == null) {
            ensureFolder(path);
        }
        return new EntryPage(
                withoutShadowedFiles(entries, path),
                serverNext == null ? null : new TreeCursor(previous, serverNext).encode());
    }

    @Override
    public Entry stat(String path) throws ProviderException {
        String checked = checked(path);
        if (checked.equals(EntryPaths.ROOT)) {
            return Entry.folder(EntryPaths.ROOT, FOLDER_TIME);
        }
        String key = account.key(checked);
        try {
            S3Client.ObjectHead head = client.head(key);
            return Entry.file(checked, head.size(), head.modified(), hash(head.etag()));
        } catch (NotFoundException e) {
            // no object: maybe a folder, which exists when any key starts with its prefix
        }
        if (!client.list(key + "/", null, 1, null).items().isEmpty()) {
            return Entry.folder(checked, FOLDER_TIME);
        }
        throw new NotFoundException("nothing at " + quote(checked) + " in " + account);
    }

    @Override
    public InputStream open(String path, long offset) throws ProviderException {
        String checked = checked(path);
        if (checked.equals(EntryPaths.ROOT)) {
            throw new PermanentProviderException("the root is a folder; only files can be opened");
        }
        if (offset < 0) {
            throw new PermanentProviderException("cannot open " + quote(checked) + " at negative offset " + offset);
        }
        String key = account.key(checked);
        HttpResponse<InputStream> response = client.get(key, offset);
        InputStream body = response.body();
        int status = response.statusCode();
        if (status == 416) {
            S3Client.closeQuietly(body);
            long size = client.head(key).size();
            if (offset == size) {
                return InputStream.nullInputStream(); // S3 refuses an empty range; reading from the end is empty
            }
            throw new PermanentProviderException(
                    "cannot open " + quote(checked) + " at offset " + offset + ": it has only " + size + " bytes");
        }
        if (status == 206) {
            String range = response.headers().firstValue("content-range").orElse("");
            Matcher matcher = CONTENT_RANGE.matcher(range.strip());
            if (!matcher.matches() || !matcher.group(1).equals(Long.toString(offset))) {
                S3Client.closeQuietly(body);
                throw new PermanentProviderException("malformed answer to downloading " + quote(checked) + " from "
                        + offset + ": Content-Range is '" + Xml.printable(range, 80) + "'");
            }
            return body;
        }
        if (offset > 0) {
            skipTo(body, offset, checked); // the server ignored the Range header and sends the whole file
        }
        return body;
    }

    @Override
    public void close() {
        // Nothing is held between calls; the HTTP client belongs to the provider.
    }

    /**
     * The entries without files that have the path of a folder on the same page: S3 allows an object {@code x}
     * beside keys {@code x/...} (old tools made such folder objects), but a path names one entry. The folder wins,
     * as it holds the data. Only one page is looked at, so that memory stays bounded.
     */
    private List<Entry> withoutShadowedFiles(List<Entry> entries, String folder) {
        Set<String> folders = new HashSet<>();
        for (Entry entry : entries) {
            if (entry.directory()) {
                folders.add(entry.path());
            }
        }
        List<Entry> kept = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (!entry.directory() && folders.contains(entry.path())) {
                log.log(
                        Level.WARNING,
                        "S3 {0}: skipped object {1} listed in {2}: a folder has the same path",
                        account,
                        quote(entry.path()),
                        quote(folder));
            } else {
                kept.add(entry);
            }
        }
        return kept;
    }

    private Entry file(String path, ListingParser.Item item) {
        return Entry.file(path, item.size(), item.modified(), hash(item.etag()));
    }

    /** The MD5 an ETag stands for: only a single-part ETag (32 hex digits) is one; a multipart "…-N" is not. */
    private ContentHash hash(String etag) {
        if (!settings.etagIsMd5() || etag == null || !MD5_ETAG.matcher(etag).matches()) {
            return null;
        }
        return new ContentHash(ContentHash.MD5, etag.toLowerCase(Locale.ROOT));
    }

    /**
     * The part of an item's key after the listed prefix, or {@code null} (logged) when the key could not be decoded
     * or lies outside the prefix.
     */
    private String relative(ListingParser.Item item, String prefix, String folder) {
        if (item.key() == null) {
            skip(item, folder, "its URL encoding is broken");
            return null;
        }
        if (!item.key().startsWith(prefix)) {
            skip(item, folder, "it is not below the folder listed");
            return null;
        }
        return item.key().substring(prefix.length());
    }

    private void skip(ListingParser.Item item, String folder, String why) {
        log.log(
                Level.WARNING,
                "S3 {0}: skipped key ''{1}'' listed in {2}: {3}",
                account,
                Xml.printable(item.key() == null ? item.raw() : item.key(), 300),
                quote(folder),
                why);
    }

    /** The next page's server token; refuses one that repeats the token just used, which would never end. */
    private String nextToken(ListingParser.Page page, String used, String folder) throws PermanentProviderException {
        String next = page.nextToken();
        if (next != null && next.equals(used)) {
            throw new PermanentProviderException("malformed answer to listing " + quote(folder) + " in " + account
                    + ": the server gave the same continuation token again");
        }
        return next;
    }

    /**
     * Called when a folder's first page is empty: S3 lists a missing prefix as an empty one. The folder exists when
     * its marker object ({@code folder/}) does; a file at that path is not a folder; else nothing is there.
     */
    private void ensureFolder(String path) throws ProviderException {
        if (path.equals(EntryPaths.ROOT)) {
            return;
        }
        String key = account.key(path);
        if (exists(key + "/")) {
            return;
        }
        if (exists(key)) {
            throw new PermanentProviderException(quote(path) + " is a file; only folders can be listed");
        }
        throw new NotFoundException("no folder " + quote(path) + " in " + account);
    }

    private boolean exists(String key) throws ProviderException {
        try {
            client.head(key);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void skipTo(InputStream body, long offset, String path) throws ProviderException {
        try {
            body.skipNBytes(offset);
        } catch (EOFException e) {
            S3Client.closeQuietly(body);
            throw new PermanentProviderException(
                    "cannot open " + quote(path) + " at offset " + offset + ": the file is shorter", e);
        } catch (IOException e) {
            S3Client.closeQuietly(body);
            throw new TransientProviderException("downloading " + quote(path) + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean allValid(String[] names) {
        for (String name : names) {
            if (!EntryPaths.isValidName(name)) {
                return false;
            }
        }
        return true;
    }

    private static String checked(String path) throws PermanentProviderException {
        if (path == null) {
            throw new PermanentProviderException("no path given; the root is \"/\"");
        }
        try {
            return EntryPaths.normalize(path);
        } catch (IllegalArgumentException e) {
            throw new PermanentProviderException(e.getMessage(), e);
        }
    }

    private static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }

    /**
     * Where a tree listing stands between pages: the folder names of the last key seen (relative to the folder
     * listed) and the server's continuation token. Encoded as {@code base64url(names joined by '/') + '.' + token}.
     */
    record TreeCursor(List<String> folders, String serverToken) {

        String encode() {
            return Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(String.join("/", folders).getBytes(StandardCharsets.UTF_8))
                    + "." + serverToken;
        }

        static TreeCursor decode(String token) throws PermanentProviderException {
            int dot = token.indexOf('.');
            if (dot < 0 || dot == token.length() - 1) {
                throw invalid(token);
            }
            String joined;
            try {
                joined = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid(token);
            }
            List<String> folders = joined.isEmpty() ? List.of() : List.of(joined.split("/", -1));
            if (!allValid(folders.toArray(String[]::new))) {
                throw invalid(token);
            }
            return new TreeCursor(folders, token.substring(dot + 1));
        }

        private static PermanentProviderException invalid(String token) {
            return new PermanentProviderException("invalid page token '" + Xml.printable(token, 100)
                    + "': pass the token of the tree listing's page before, or null");
        }
    }
}
