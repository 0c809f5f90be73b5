package org.cloudkeep.provider.dropbox;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.provider.tck.FixtureWriter;

/**
 * A loopback double of the Dropbox API v2, following its published reference field by field: the API host (RPC
 * routes and {@code /oauth2/token}) and the content host ({@code files/download}) are two HTTP servers on
 * 127.0.0.1, on free ports. Files live in memory; every change goes into a journal, so that {@code
 * list_folder/continue} reports what changed since a cursor, as Dropbox does.
 *
 * <p>Paths are case-insensitive (keyed by their lower-case form) and keep the case they were written with; names
 * are never normalised (NFC and NFD are two names). Tests can make the next answer of a route anything they like
 * ({@link #enqueue}), to play a hostile or failing server.
 */
final class DropboxDouble implements AutoCloseable {

    static final String APP_KEY = "double-app-key";
    static final String APP_SECRET = "double-app-secret";
    static final long TOKEN_SECONDS = 4 * 3600;

    private final ObjectMapper json = JsonMapper.builder().build();
    private final ObjectMapper headerJson =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private final HttpServer api;
    private final HttpServer content;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final CountDownLatch closing = new CountDownLatch(1);

    // The account; guarded by this.
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final List<Journal> journal = new ArrayList<>();
    private long ids;
    private int cursorEpoch;
    private int maxPage = 2000;
    private final Map<String, Instant> accessTokens = new HashMap<>();
    private final Set<String> refreshTokens = new HashSet<>();
    private final Map<String, Grant> codes = new HashMap<>();
    private final Map<String, Deque<Canned>> canned = new HashMap<>();
    private final Map<String, Recorded> lastRequests = new HashMap<>();

    private DropboxDouble() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        api = HttpServer.create(loopback, 0);
        content = HttpServer.create(loopback, 0);
        api.createContext("/", exchange -> serve(exchange, false));
        content.createContext("/", exchange -> serve(exchange, true));
        api.setExecutor(pool);
        content.setExecutor(pool);
    }

    static DropboxDouble start() throws IOException {
        DropboxDouble started = new DropboxDouble();
        started.api.start();
        started.content.start();
        return started;
    }

    URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort());
    }

    URI contentUrl() {
        return URI.create("http://127.0.0.1:" + content.getAddress().getPort());
    }

    /** Settings for a provider that talks to this double, with the given read timeout. */
    DropboxSettings settings(Duration readTimeout) {
        return new DropboxSettings(
                APP_KEY,
                APP_SECRET,
                apiUrl(),
                contentUrl(),
                URI.create("https://www.dropbox.com/oauth2/authorize"),
                Duration.ofSeconds(5),
                readTimeout);
    }

    DropboxSettings settings() {
        return settings(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        closing.countDown();
        api.stop(0);
        content.stop(0);
        pool.shutdownNow();
    }

    // ---- what a test does to the account ------------------------------------------------------

    /** Issues a fresh access and refresh token, as a finished sign-in would; the provider's credentials map. */
    synchronized Map<String, String> signIn() {
        String access = "sl." + UUID.randomUUID();
        String refresh = "rt." + UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(TOKEN_SECONDS);
        accessTokens.put(access, expiresAt);
        refreshTokens.add(refresh);
        return Map.of(
                DropboxProvider.ACCESS_TOKEN, access,
                DropboxProvider.REFRESH_TOKEN, refresh,
                DropboxProvider.EXPIRES_AT, Long.toString(expiresAt.getEpochSecond()));
    }

    /** The person allowed access on the authorize page: the code Dropbox would send to the redirect URI. */
    synchronized String approve(String redirectUri, String codeChallenge) {
        String code = "code." + UUID.randomUUID();
        codes.put(code, new Grant(redirectUri, codeChallenge));
        return code;
    }

    /** Every access token issued so far expires now (Dropbox answers 401 expired_access_token). */
    synchronized void expireAccessTokens() {
        accessTokens.replaceAll((token, expiry) -> Instant.now().minusSeconds(1));
    }

    /** Every refresh token is revoked (the app was unlinked): refreshing answers 400 invalid_grant. */
    synchronized void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** Every cursor handed out so far becomes invalid: continue answers 409 reset. */
    synchronized void resetCursors() {
        cursorEpoch++;
    }

    /** The most entries a page holds, whatever limit the client asks for. */
    synchronized void maxPage(int entries) {
        maxPage = entries;
    }

    /** The next request on a route ("/2/files/list_folder") gets this answer instead of the real one. */
    synchronized void enqueue(String route, Canned answer) {
        canned.computeIfAbsent(route, r -> new ArrayDeque<>()).add(answer);
    }

    /** The last request a route received, or {@code null}. */
    synchronized Recorded lastRequest(String route) {
        return lastRequests.get(route);
    }

    /** Writes to the account directly, as another Dropbox client would; the changes go into the journal. */
    FixtureWriter fixture() {
        return new FixtureWriter() {
            @Override
            public void write(String path, byte[] bytes) {
                DropboxDouble.this.write(path, bytes);
            }

            @Override
            public void mkdirs(String path) {
                DropboxDouble.this.mkdirs(path);
            }

            @Override
            public void delete(String path) {
                DropboxDouble.this.delete(path);
            }
        };
    }

    synchronized void write(String path, byte[] bytes) {
        mkdirs(EntryPaths.parent(EntryPaths.normalize(path)));
        Node old = nodes.get(key(path));
        if (old != null && old.folder()) {
            throw new IllegalStateException("a folder is at " + path);
        }
        String display = old == null ? path : old.display(); // Dropbox keeps the case a path was first given
        put(new Node(display, false, bytes.clone(), Instant.now().truncatedTo(ChronoUnit.SECONDS), "id:" + ++ids));
    }

    synchronized void mkdirs(String path) {
        String current = "";
        for (String name : EntryPaths.names(path)) {
            current = current + "/" + name;
            Node node = nodes.get(key(current));
            if (node == null) {
                put(new Node(current, true, null, null, "id:" + ++ids));
            } else if (!node.folder()) {
                throw new IllegalStateException("a file is at " + current);
            }
        }
    }

    synchronized void delete(String path) {
        String key = key(path);
        Node node = nodes.get(key);
        if (node == null) {
            throw new IllegalStateException("nothing to delete at " + path);
        }
        nodes.subMap(key + "/", key + "/\uffff").clear();
        nodes.remove(key);
        ObjectNode deleted = json.createObjectNode()
                .put(".tag", "deleted")
                .put("name", EntryPaths.name(node.display()))
                .put("path_lower", key)
                .put("path_display", node.display());
        journal.add(new Journal(key, deleted));
    }

    private void put(Node node) {
        nodes.put(key(node.display()), node);
        journal.add(new Journal(key(node.display()), metadata(node)));
    }

    // ---- the HTTP side ------------------------------------------------------------------------

    /** A request as it arrived: its headers (names lower-case) and body. */
    record Recorded(Map<String, String> headers, byte[] body) {}

    /**
     * An answer a test makes the double give.
     *
     * @param truncated send fewer body bytes than Content-Length promises, then drop the connection
     * @param stall hold the request until the double closes: before the headers, or (when truncated) after the
     *     body bytes given
     */
    record Canned(int status, Map<String, String> headers, byte[] body, boolean truncated, boolean stall) {

        static Canned json(int status, String body) {
            return new Canned(
                    status,
                    Map.of("Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8),
                    false,
                    false);
        }

        static Canned text(int status, String body) {
            return new Canned(
                    status, Map.of("Content-Type", "text/plain"), body.getBytes(StandardCharsets.UTF_8), false, false);
        }

        static Canned stalled() {
            return new Canned(200, Map.of(), new byte[0], false, true);
        }

        Canned withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Canned(status, more, body, truncated, stall);
        }

        Canned truncate() {
            return new Canned(status, headers, body, true, stall);
        }

        /** Sends the headers and these body bytes, then nothing more. */
        Canned stallAfterBody() {
            return new Canned(status, headers, body, true, true);
        }
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {}

    private void serve(HttpExchange exchange, boolean contentHost) throws IOException {
        try (exchange) {
            String route = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            Canned cannedAnswer;
            synchronized (this) {
                lastRequests.put(route, new Recorded(headers, body));
                Deque<Canned> queue = canned.get(route);
                cannedAnswer = queue == null ? null : queue.poll();
            }
            if (cannedAnswer != null) {
                sendCanned(exchange, cannedAnswer);
                return;
            }
            Answer answer;
            try {
                answer = answer(route, headers, body, contentHost);
            } catch (BadInput e) {
                answer = text(400, "Error in call to API function \"" + route + "\": " + e.getMessage());
            } catch (RuntimeException e) {
                e.printStackTrace(); // a bug of the double: say so loudly, and answer as a server in trouble
                answer = text(500, "double failed: " + e);
            }
            send(exchange, answer);
        } catch (IOException e) {
            // the client went away, or a test made the double drop the connection
        }
    }

    private Answer answer(String route, Map<String, String> headers, byte[] body, boolean contentHost)
            throws BadInput, IOException {
        if (contentHost) {
            if (!route.equals("/2/files/download")) {
                return text(404, "Unknown API function: \"" + route + "\"");
            }
            Answer denied = authorize(headers);
            return denied != null ? denied : download(headers);
        }
        if (route.equals("/oauth2/token")) {
            return token(headers, form(body));
        }
        Answer denied = authorize(headers);
        if (denied != null) {
            return denied;
        }
        if (!route.equals("/2/users/get_current_account") && !"application/json".equals(headers.get("content-type"))) {
            throw new BadInput("Bad HTTP \"Content-Type\" header: \"" + headers.get("content-type")
                    + "\". Expecting one of \"application/json\"");
        }
        return switch (route) {
            case "/2/users/get_current_account" -> ok(
                    json.createObjectNode().put("account_id", "dbid:double").put("email", "double@example.invalid"));
            case "/2/files/list_folder" -> listFolder(arg(body));
            case "/2/files/list_folder/continue" -> listContinue(arg(body));
            case "/2/files/list_folder/get_latest_cursor" -> latestCursor(arg(body));
            case "/2/files/get_metadata" -> getMetadata(arg(body));
            default -> text(404, "Unknown API function: \"" + route + "\"");
        };
    }

    private synchronized Answer authorize(Map<String, String> headers) {
        String authorization = headers.getOrDefault("authorization", "");
        if (!authorization.startsWith("Bearer ")) {
            return text(400, "Error in call to API function: Must provide HTTP header \"Authorization\"");
        }
        Instant expiry = accessTokens.get(authorization.substring("Bearer ".length()));
        if (expiry == null) {
            return error(401, "invalid_access_token/", json.createObjectNode().put(".tag", "invalid_access_token"));
        }
        if (!Instant.now().isBefore(expiry)) {
            return error(401, "expired_access_token/", json.createObjectNode().put(".tag", "expired_access_token"));
        }
        return null;
    }

    private synchronized Answer token(Map<String, String> headers, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = headers.getOrDefault("authorization", "");
        if (basic.startsWith("Basic ")) {
            String[] pair =
                    new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            clientId = pair[0];
            secret = pair.length > 1 ? pair[1] : null;
        }
        if (!APP_KEY.equals(clientId) || (secret != null && !APP_SECRET.equals(secret))) {
            return oauthError("invalid_client", "Invalid client_id or client_secret");
        }
        String grant = form.getOrDefault("grant_type", "");
        if (grant.equals("authorization_code")) {
            Grant pending = codes.remove(form.getOrDefault("code", ""));
            if (pending == null) {
                return oauthError("invalid_grant", "code doesn't exist or has expired");
            }
            if (!pending.redirectUri().equals(form.get("redirect_uri"))) {
                return oauthError("invalid_grant", "redirect_uri mismatch");
            }
            String verifier = form.getOrDefault("code_verifier", "");
            if (!pending.challenge().equals(s256(verifier))) {
                return oauthError("invalid_grant", "invalid code verifier");
            }
            Map<String, String> issued = signIn();
            ObjectNode body = tokenBody(issued.get(DropboxProvider.ACCESS_TOKEN))
                    .put("refresh_token", issued.get(DropboxProvider.REFRESH_TOKEN))
                    .put("account_id", "dbid:double")
                    .put("uid", "12345");
            return ok(body);
        }
        if (grant.equals("refresh_token")) {
            if (!refreshTokens.contains(form.getOrDefault("refresh_token", ""))) {
                return oauthError("invalid_grant", "refresh token is invalid or revoked");
            }
            String access = "sl." + UUID.randomUUID();
            accessTokens.put(access, Instant.now().plusSeconds(TOKEN_SECONDS));
            return ok(tokenBody(access));
        }
        return oauthError("unsupported_grant_type", "grant_type is not supported");
    }

    private ObjectNode tokenBody(String accessToken) {
        return json.createObjectNode()
                .put("access_token", accessToken)
                .put("token_type", "bearer")
                .put("expires_in", TOKEN_SECONDS)
                .put("scope", "account_info.read files.content.read files.metadata.read");
    }

    private synchronized Answer listFolder(JsonNode arg) throws BadInput {
        String folder = apiPath(arg, "path", true);
        boolean recursive = arg.path("recursive").asBoolean(false);
        int limit = limit(arg);
        Answer problem = notAFolder(folder);
        if (problem != null) {
            return problem;
        }
        return page(new Cursor(key(folder), recursive, limit, journal.size(), "", cursorEpoch));
    }

    private synchronized Answer listContinue(JsonNode arg) throws BadInput {
        Cursor cursor = Cursor.decode(text(arg, "cursor"), json);
        if (cursor.epoch() != cursorEpoch) {
            return error(409, "reset/", json.createObjectNode().put(".tag", "reset"));
        }
        if (cursor.after() != null) {
            Answer problem = notAFolder(cursor.folder());
            if (problem != null) {
                return problem;
            }
        }
        return page(cursor);
    }

    private synchronized Answer latestCursor(JsonNode arg) throws BadInput {
        String folder = apiPath(arg, "path", true);
        Answer problem = notAFolder(folder);
        if (problem != null) {
            return problem;
        }
        Cursor cursor = new Cursor(
                key(folder), arg.path("recursive").asBoolean(false), limit(arg), journal.size(), null, cursorEpoch);
        return ok(json.createObjectNode().put("cursor", cursor.encode(json)));
    }

    private synchronized Answer getMetadata(JsonNode arg) throws BadInput {
        String path = apiPath(arg, "path", false);
        Node node = nodes.get(key(path));
        return node == null ? notFound("path") : ok(metadata(node));
    }

    /**
     * One page for a cursor: while {@code after} is set, the folder's entries after that key; then the journal's
     * records for the folder since the cursor's sequence number.
     */
    private Answer page(Cursor cursor) {
        int limit = Math.min(cursor.limit(), maxPage);
        ArrayNode entries = json.createArrayNode();
        Cursor next;
        boolean more;
        if (cursor.after() != null) {
            if (cursor.after().isEmpty()
                    && cursor.recursive()
                    && !cursor.folder().isEmpty()) {
                entries.add(metadata(nodes.get(cursor.folder()))); // a recursive listing starts with the folder
            }
            String prefix = cursor.folder() + "/";
            NavigableMap<String, Node> below = nodes.subMap(prefix, true, prefix + "\uffff", false);
            if (!cursor.after().isEmpty()) {
                below = below.tailMap(cursor.after(), false);
            }
            String last = null;
            more = false;
            for (Map.Entry<String, Node> child : below.entrySet()) {
                if (!cursor.recursive() && child.getKey().indexOf('/', prefix.length()) >= 0) {
                    continue;
                }
                if (entries.size() >= limit) {
                    more = true;
                    break;
                }
                entries.add(metadata(child.getValue()));
                last = child.getKey();
            }
            next = more ? cursor.withAfter(last) : cursor.withAfter(null);
        } else {
            int seq = cursor.seq();
            more = false;
            for (; seq < journal.size(); seq++) {
                Journal record = journal.get(seq);
                if (!within(record.key(), cursor.folder(), cursor.recursive())) {
                    continue;
                }
                if (entries.size() >= limit) {
                    more = true;
                    break;
                }
                entries.add(record.metadata());
            }
            next = cursor.withSeq(seq);
        }
        return ok(json.createObjectNode()
                .<ObjectNode>set("entries", entries)
                .put("cursor", next.encode(json))
                .put("has_more", more));
    }

    private static boolean within(String key, String folder, boolean recursive) {
        if (!key.startsWith(folder + "/")) {
            return false;
        }
        return recursive || key.indexOf('/', folder.length() + 1) < 0;
    }

    private Answer download(Map<String, String> headers) throws BadInput, IOException {
        String contentType = headers.get("content-type");
        if (contentType != null
                && !contentType.isEmpty()
                && !contentType.startsWith("text/plain")
                && !contentType.startsWith("application/octet-stream")) {
            throw new BadInput("Bad HTTP \"Content-Type\" header: \"" + contentType + "\"");
        }
        String raw = headers.get("dropbox-api-arg");
        if (raw == null) {
            throw new BadInput("Must provide HTTP header \"Dropbox-API-Arg\" or URL parameter \"arg\"");
        }
        if (!raw.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new BadInput("HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
        }
        JsonNode arg;
        try {
            arg = json.readTree(raw);
        } catch (IOException e) {
            throw new BadInput("HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
        }
        String path = apiPath(arg, "path", false);
        Node node;
        synchronized (this) {
            node = nodes.get(key(path));
        }
        if (node == null) {
            return notFound("path");
        }
        if (node.folder()) {
            return error(
                    409,
                    "path/not_file/",
                    json.createObjectNode()
                            .put(".tag", "path")
                            .set("path", json.createObjectNode().put(".tag", "not_file")));
        }
        byte[] bytes = node.bytes();
        Map<String, String> out = new HashMap<>();
        out.put("Content-Type", "application/octet-stream");
        // As Dropbox: ASCII-only JSON in the header (DEL too, which HTTP forbids in a header value).
        out.put(
                "Dropbox-API-Result",
                headerJson.writeValueAsString(metadata(node)).replace("\u007f", "\\u007f"));
        out.put("Accept-Ranges", "bytes");
        String range = headers.get("range");
        if (range == null) {
            return new Answer(200, out, bytes);
        }
        if (!range.matches("bytes=\\d{1,18}-")) {
            throw new BadInput("this double understands only Range: bytes=N-, not " + range);
        }
        long start = Long.parseLong(range.substring(6, range.length() - 1));
        if (start >= bytes.length) {
            out.put("Content-Range", "bytes */" + bytes.length);
            return new Answer(416, out, new byte[0]);
        }
        out.put("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
        byte[] rest = new byte[bytes.length - (int) start];
        System.arraycopy(bytes, (int) start, rest, 0, rest.length);
        return new Answer(206, out, rest);
    }

    private Answer notAFolder(String folder) {
        if (folder.isEmpty()) {
            return null;
        }
        Node node = nodes.get(key(folder));
        if (node == null) {
            return notFound("path");
        }
        return node.folder()
                ? null
                : error(
                        409,
                        "path/not_folder/",
                        json.createObjectNode()
                                .put(".tag", "path")
                                .set("path", json.createObjectNode().put(".tag", "not_folder")));
    }

    private Answer notFound(String tag) {
        return error(
                409,
                tag + "/not_found/",
                json.createObjectNode()
                        .put(".tag", tag)
                        .set(tag, json.createObjectNode().put(".tag", "not_found")));
    }

    private ObjectNode metadata(Node node) {
        ObjectNode meta = json.createObjectNode()
                .put(".tag", node.folder() ? "folder" : "file")
                .put("name", EntryPaths.name(node.display()))
                .put("path_lower", key(node.display()))
                .put("path_display", node.display())
                .put("id", node.id());
        if (!node.folder()) {
            String time = node.modified().toString();
            meta.put("client_modified", time)
                    .put("server_modified", time)
                    .put("rev", String.format("%015x", (long) node.id().hashCode() & 0xffffffffL))
                    .put("size", node.bytes().length)
                    .put("is_downloadable", true)
                    .put("content_hash", contentHash(node.bytes()));
        }
        return meta;
    }

    /** Dropbox's content hash, computed here independently of the provider's hasher. */
    static String contentHash(byte[] bytes) {
        MessageDigest overall = sha256();
        int block = 4 * 1024 * 1024;
        for (int start = 0; start < bytes.length; start += block) {
            MessageDigest one = sha256();
            one.update(bytes, start, Math.min(block, bytes.length - start));
            overall.update(one.digest());
        }
        return java.util.HexFormat.of().formatHex(overall.digest());
    }

    private Answer error(int status, String summary, JsonNode error) {
        ObjectNode body = json.createObjectNode().put("error_summary", summary);
        body.set("error", error);
        return new Answer(status, Map.of("Content-Type", "application/json"), bytes(body));
    }

    private Answer oauthError(String code, String description) {
        return new Answer(
                400,
                Map.of("Content-Type", "application/json"),
                bytes(json.createObjectNode().put("error", code).put("error_description", description)));
    }

    private Answer ok(JsonNode body) {
        return new Answer(200, Map.of("Content-Type", "application/json"), bytes(body));
    }

    private static Answer text(int status, String body) {
        return new Answer(
                status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        // -1: no body at all; HttpServer takes 0 to mean "chunked".
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private void sendCanned(HttpExchange exchange, Canned answer) throws IOException {
        if (!answer.truncated()) {
            if (answer.stall()) {
                awaitClosing();
            } else {
                send(exchange, new Answer(answer.status(), answer.headers(), answer.body()));
            }
            return;
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(answer.status(), answer.body().length + 1000L);
        OutputStream out = exchange.getResponseBody();
        out.write(answer.body());
        out.flush();
        if (answer.stall()) {
            awaitClosing();
        }
        // Closing the exchange now, 1000 bytes short, makes HttpServer drop the connection.
    }

    /** Holds a request until the double closes (bounded, should a test forget to close it). */
    private void awaitClosing() {
        try {
            closing.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- arguments ----------------------------------------------------------------------------

    /** A 400 with Dropbox's plain-text explanation. */
    private static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    private JsonNode arg(byte[] body) throws BadInput {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadInput("request body: expected an object");
            }
            return node;
        } catch (IOException e) {
            throw new BadInput("request body: could not decode input as JSON");
        }
    }

    private static String text(JsonNode arg, String field) throws BadInput {
        JsonNode value = arg.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadInput("missing required field '" + field + "'");
        }
        return value.asText();
    }

    /** A path argument: "" (the root, where allowed) or "/" followed by names, without a trailing slash. */
    private static String apiPath(JsonNode arg, String field, boolean rootAllowed) throws BadInput {
        String path = text(arg, field);
        if (path.isEmpty() && rootAllowed) {
            return path;
        }
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new BadInput("'" + field + "': '" + path + "' did not match pattern '(/(.|[\\r\\n])*)?'");
        }
        return path;
    }

    private static int limit(JsonNode arg) throws BadInput {
        JsonNode limit = arg.get("limit");
        if (limit == null) {
            return 2000;
        }
        if (!limit.canConvertToInt() || limit.asInt() < 1 || limit.asInt() > 2000) {
            throw new BadInput("'limit': value must be between 1 and 2000");
        }
        return limit.asInt();
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    static String s256(String verifier) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(sha256().digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- state --------------------------------------------------------------------------------

    private record Node(String display, boolean folder, byte[] bytes, Instant modified, String id) {}

    /** One change: the lower-case path and the metadata it had then (a {@code deleted} tag for a deletion). */
    private record Journal(String key, JsonNode metadata) {}

    private record Grant(String redirectUri, String challenge) {}

    /**
     * What a cursor stands for, encoded as base64url JSON. While {@code after} is not null the folder is still
     * being listed (after that key; "" for the start); then the journal is read from {@code seq}.
     */
    private record Cursor(String folder, boolean recursive, int limit, int seq, String after, int epoch) {

        Cursor withAfter(String key) {
            return new Cursor(folder, recursive, limit, seq, key, epoch);
        }

        Cursor withSeq(int next) {
            return new Cursor(folder, recursive, limit, next, after, epoch);
        }

        String encode(ObjectMapper json) {
            ObjectNode node = json.createObjectNode()
                    .put("f", folder)
                    .put("r", recursive)
                    .put("l", limit)
                    .put("s", seq)
                    .put("e", epoch);
            if (after != null) {
                node.put("a", after);
            }
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Cursor decode(String text, ObjectMapper json) throws BadInput {
            try {
                JsonNode node = json.readTree(Base64.getUrlDecoder().decode(text));
                return new Cursor(
                        node.get("f").asText(),
                        node.get("r").asBoolean(),
                        node.get("l").asInt(),
                        node.get("s").asInt(),
                        node.hasNonNull("a") ? node.get("a").asText() : null,
                        node.get("e").asInt());
            } catch (IOException | RuntimeException e) {
                throw new BadInput("Invalid \"cursor\" parameter");
            }
        }
    }
}
