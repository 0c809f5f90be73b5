package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.provider.tck.FixtureWriter;

/**
 * A loopback double of the Baidu Netdisk open platform, following its published reference: the
 * OAuth 2.0 service ({@code /oauth/2.0/authorize}, {@code /oauth/2.0/token} with single-use refresh
 * tokens), xpan's {@code nas?method=uinfo}, {@code file?method=list}, {@code
 * multimedia?method=listall} and {@code multimedia?method=filemetas&dlink=1}, and dlinks that
 * require {@code User-Agent: pan.baidu.com} and the access token, answer 302 to a data host that
 * honours {@code Range} and sends {@code Content-MD5}. Errors are errno bodies with HTTP 200 (xpan)
 * or {@code error_code} bodies with HTTP 403 (download hosts), as Baidu answers them. As Baidu does
 * for newer uploads, the listing's {@code md5} is not the MD5 of the data.
 *
 * <p>Files live in memory. Tests write them through {@link #fixture()}, script faults with {@link
 * #answerNext}, and expire tokens and links on demand.
 */
final class BaiduDouble implements AutoCloseable {

    static final String APP_KEY = "double-app-key";
    static final String SECRET_KEY = "double-secret-key";

    /** Endpoint names for {@link #answerNext} and {@link #calls}. */
    static final String UINFO = "uinfo", LIST = "list", LISTALL = "listall", FILEMETAS = "filemetas";

    static final String TOKEN = "token", DLINK = "dlink", DATA = "data";

    private static final Pattern RANGE = Pattern.compile("bytes=([0-9]{1,18})-([0-9]{0,18})");
    private static final Pattern FS_ID = Pattern.compile("-?[0-9]{1,19}");

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final ConcurrentSkipListMap<String, Node> nodes = new ConcurrentSkipListMap<>();
    private final Map<Long, String> paths = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(700_000_000_000_000L);
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> usedRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Dlink> dlinks = new ConcurrentHashMap<>();
    private final Map<String, Deque<Canned>> canned = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger expiredDlinksToIssue = new AtomicInteger();
    private final AtomicInteger corruptDownloads = new AtomicInteger();
    private final AtomicInteger truncatedDownloads = new AtomicInteger();
    private final Deque<String> userAgents = new ArrayDeque<>();
    private volatile long expiresIn = Duration.ofDays(30).toSeconds();

    BaiduDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Where the double answers, both as the xpan API and as the OAuth service. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Provider settings pointing at this double, with the double's app. */
    BaiduSettings settings() {
        return BaiduSettings.of(APP_KEY, SECRET_KEY, url(), url());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- what tests do -------------------------------------------------------------------------

    /** Credentials as a completed authorization gives them: fresh access and refresh tokens. */
    Map<String, String> authorizedAccount() {
        ObjectNode tokens = issueTokens();
        return Map.of(
                Tokens.ACCESS_TOKEN, tokens.get("access_token").textValue(),
                Tokens.REFRESH_TOKEN, tokens.get("refresh_token").textValue(),
                Tokens.EXPIRES_AT, Instant.now().plusSeconds(expiresIn).toString());
    }

    /** Writes through the double's own store, never through the provider. Thread-safe. */
    FixtureWriter fixture() {
        return new FixtureWriter() {
            @Override
            public void write(String path, byte[] content) throws IOException {
                String checked = EntryPaths.normalize(path);
                mkdirs(EntryPaths.parent(checked));
                long now = Instant.now().getEpochSecond();
                // An upload over an existing file makes a new file with a new fs_id, as Baidu does.
                Node node = new Node(false, content.clone(), ids.incrementAndGet(), now);
                Node old = nodes.put(checked, node);
                if (old != null && old.directory()) {
                    nodes.put(checked, old);
                    throw new IOException(checked + " is a folder");
                }
                if (old != null) {
                    paths.remove(old.fsId());
                }
                paths.put(node.fsId(), checked);
            }

            @Override
            public void mkdirs(String path) throws IOException {
                String checked = EntryPaths.normalize(path);
                for (String folder = checked; !folder.equals(EntryPaths.ROOT); folder = EntryPaths.parent(folder)) {
                    Node node = new Node(
                            true, null, ids.incrementAndGet(), Instant.now().getEpochSecond());
                    Node existing = nodes.putIfAbsent(folder, node);
                    if (existing == null) {
                        paths.put(node.fsId(), folder);
                    } else if (!existing.directory()) {
                        throw new IOException(folder + " is a file");
                    }
                }
            }

            @Override
            public void delete(String path) throws IOException {
                Node old = nodes.remove(EntryPaths.normalize(path));
                if (old == null) {
                    throw new IOException("nothing at " + path);
                }
                paths.remove(old.fsId());
            }
        };
    }

    /** The next call to an endpoint gets this answer instead of its real one. */
    void answerNext(String endpoint, int status, String body) {
        canned.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).add(new Canned(status, body, Map.of()));
    }

    /** Like {@link #answerNext(String, int, String)}, with headers. */
    void answerNext(String endpoint, int status, String body, Map<String, String> headers) {
        canned.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).add(new Canned(status, body, headers));
    }

    /** The next call to an endpoint hits the frequency control, as Baidu answers it. */
    void rateLimitNext(String endpoint) {
        answerNext(endpoint, 200, "{\"errno\":31034,\"errmsg\":\"hit api frequency control\",\"request_id\":1}");
    }

    /** How many calls an endpoint had. */
    int calls(String endpoint) {
        AtomicInteger count = calls.get(endpoint);
        return count == null ? 0 : count.get();
    }

    /** The User-Agent of each download request (dlink and data host), oldest first. */
    synchronized List<String> downloadUserAgents() {
        return new ArrayList<>(userAgents);
    }

    /** Every access token issued so far now counts as expired (errno 111). */
    void expireAccessTokens() {
        accessTokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** Every refresh token issued so far is refused from now on (invalid_grant). */
    void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** Tokens issued from now on last this long. */
    void expiresIn(Duration lifetime) {
        expiresIn = lifetime.toSeconds();
    }

    /** The next dlinks handed out are already expired (errno 31360). */
    void expireNextDlinks(int count) {
        expiredDlinksToIssue.set(count);
    }

    /** The next download sends one byte wrong, with the Content-MD5 of the right bytes. */
    void corruptNextDownload() {
        corruptDownloads.incrementAndGet();
    }

    /** The next download promises the whole file and stops half-way. */
    void truncateNextDownload() {
        truncatedDownloads.incrementAndGet();
    }

    /** The MD5 of a file's bytes, as Content-MD5 gives it. */
    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One listed entry, field by field as xpan gives it; for tests that script hostile listings. */
    static String entryJson(String name, String path, boolean directory, long size, long fsId) {
        ObjectNode entry = new ObjectMapper().createObjectNode();
        entry.put("server_filename", name);
        entry.put("path", path);
        entry.put("isdir", directory ? 1 : 0);
        entry.put("size", size);
        entry.put("fs_id", fsId);
        entry.put("server_mtime", 1_700_000_000L);
        entry.put("server_ctime", 1_700_000_000L);
        entry.put("category", 6);
        return entry.toString();
    }

    // ---- the server ----------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
            if ("POST".equals(exchange.getRequestMethod())) {
                byte[] form = exchange.getRequestBody().readNBytes(64 * 1024);
                query.putAll(parameters(new String(form, StandardCharsets.US_ASCII)));
            }
            String path = exchange.getRequestURI().getPath();
            String endpoint = endpoint(path, query);
            calls.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
            if (endpoint.equals(DLINK) || endpoint.equals(DATA)) {
                synchronized (this) {
                    userAgents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
                    if (userAgents.size() > 1000) {
                        userAgents.removeFirst();
                    }
                }
            }
            Deque<Canned> scripted = canned.get(endpoint);
            Canned answer = scripted == null ? null : scripted.poll();
            if (answer != null) {
                answer.headers()
                        .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                send(exchange, answer.status(), answer.body());
                return;
            }
            switch (endpoint) {
                case "authorize" -> authorize(exchange, query);
                case TOKEN -> token(exchange, query);
                case UINFO -> xpan(exchange, query, () -> uinfo());
                case LIST -> xpan(exchange, query, () -> list(query));
                case LISTALL -> xpan(exchange, query, () -> listall(query));
                case FILEMETAS -> xpan(exchange, query, () -> filemetas(query));
                case DLINK -> dlink(exchange, path, query);
                case DATA -> data(exchange, path);
                default -> send(exchange, 404, "{\"error_code\":31023,\"error_msg\":\"param error\"}");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error_code\":1,\"error_msg\":\"the double failed\"}");
        } finally {
            exchange.close();
        }
    }

    private static String endpoint(String path, Map<String, String> query) {
        String method = query.getOrDefault("method", "");
        return switch (path) {
            case "/oauth/2.0/authorize" -> "authorize";
            case "/oauth/2.0/token" -> TOKEN;
            case "/rest/2.0/xpan/nas" -> method.equals("uinfo") ? UINFO : "nas?" + method;
            case "/rest/2.0/xpan/file" -> method.equals("list") ? LIST : "file?" + method;
            case "/rest/2.0/xpan/multimedia" -> method.equals("listall") || method.equals("filemetas")
                    ? method
                    : "multimedia?" + method;
            default -> path.startsWith("/file/") ? DLINK : path.startsWith("/data/") ? DATA : "unknown";
        };
    }

    // ---- OAuth 2.0 -----------------------------------------------------------------------------

    private void authorize(HttpExchange exchange, Map<String, String> query) throws IOException {
        String redirect = query.get("redirect_uri");
        if (!"code".equals(query.get("response_type"))
                || !APP_KEY.equals(query.get("client_id"))
                || redirect == null
                || !query.getOrDefault("scope", "").contains("netdisk")) {
            send(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"bad authorize request\"}");
            return;
        }
        // The person signs in and allows access: back to the app with a single-use code.
        String code = secret(16);
        codes.put(code, redirect);
        String state = query.get("state");
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code
                + (state == null ? "" : "&state=" + BaiduClient.encode(state));
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!APP_KEY.equals(query.get("client_id")) || !SECRET_KEY.equals(query.get("client_secret"))) {
            send(exchange, 401, oauthError("invalid_client", "unknown client id"));
            return;
        }
        String grant = query.getOrDefault("grant_type", "");
        if (grant.equals("authorization_code")) {
            String code = query.getOrDefault("code", "");
            String redirect = codes.remove(code);
            if (redirect == null || !redirect.equals(query.get("redirect_uri"))) {
                send(exchange, 400, oauthError("invalid_grant", "Invalid authorization code: " + code));
                return;
            }
        } else if (grant.equals("refresh_token")) {
            String refresh = query.getOrDefault("refresh_token", "");
            if (usedRefreshTokens.contains(refresh)) {
                send(exchange, 400, oauthError("expired_token", "refresh token has been used"));
                return;
            }
            if (!refreshTokens.remove(refresh)) {
                send(exchange, 400, oauthError("invalid_grant", "Invalid refresh token"));
                return;
            }
            usedRefreshTokens.add(refresh);
        } else {
            send(exchange, 400, oauthError("unsupported_grant_type", "The authorization grant type is not supported"));
            return;
        }
        send(exchange, 200, issueTokens().toString());
    }

    private ObjectNode issueTokens() {
        long lifetime = expiresIn;
        String access =
                "121." + secret(16) + "." + lifetime + "." + Instant.now().getEpochSecond() + ".1234-5678";
        String refresh = "122." + secret(16) + ".315360000." + Instant.now().getEpochSecond() + ".1234-5678";
        accessTokens.put(access, Instant.now().plusSeconds(lifetime));
        refreshTokens.add(refresh);
        ObjectNode answer = json.createObjectNode();
        answer.put("expires_in", lifetime);
        answer.put("refresh_token", refresh);
        answer.put("access_token", access);
        answer.put("session_secret", "");
        answer.put("session_key", "");
        answer.put("scope", "basic netdisk");
        return answer;
    }

    private String oauthError(String error, String description) {
        ObjectNode answer = json.createObjectNode();
        answer.put("error", error);
        answer.put("error_description", description);
        return answer.toString();
    }

    /** 0 when the access token is good, else the errno Baidu gives for it. */
    private int tokenErrno(Map<String, String> query) {
        Instant expiry = accessTokens.get(query.getOrDefault("access_token", ""));
        if (expiry == null) {
            return -6;
        }
        return expiry.isAfter(Instant.now()) ? 0 : 111;
    }

    // ---- xpan ----------------------------------------------------------------------------------

    private interface Answer {
        ObjectNode get();
    }

    private void xpan(HttpExchange exchange, Map<String, String> query, Answer answer) throws IOException {
        int errno = tokenErrno(query);
        if (errno != 0) {
            send(
                    exchange,
                    200,
                    error(errno, errno == 111 ? "access token expired" : "Invalid Bduss")
                            .toString());
            return;
        }
        send(exchange, 200, answer.get().toString());
    }

    private ObjectNode uinfo() {
        ObjectNode answer = ok();
        answer.put("avatar_url", "");
        answer.put("baidu_name", "double");
        answer.put("netdisk_name", "double");
        answer.put("uk", 1234567890L);
        answer.put("vip_type", 0);
        return answer;
    }

    private ObjectNode list(Map<String, String> query) {
        String dir = query.getOrDefault("dir", "/");
        Node folder = dir.equals("/") ? null : nodes.get(dir);
        if (!dir.equals("/") && (folder == null || !folder.directory())) {
            return error(-9, null);
        }
        int start = number(query.get("start"), 0);
        int limit = Math.min(number(query.get("limit"), 1000), 1000);
        String order = query.getOrDefault("order", "name");
        List<Map.Entry<String, Node>> children = new ArrayList<>();
        String prefix = dir.equals("/") ? "/" : dir + "/";
        for (Map.Entry<String, Node> entry : below(prefix).entrySet()) {
            if (entry.getKey().indexOf('/', prefix.length()) < 0) {
                children.add(entry);
            }
        }
        if (order.equals("size")) {
            children.sort((a, b) -> Long.compare(size(a.getValue()), size(b.getValue())));
        } else if (order.equals("time")) {
            children.sort(
                    (a, b) -> Long.compare(a.getValue().mtime(), b.getValue().mtime()));
        }
        if ("1".equals(query.get("desc"))) {
            Collections.reverse(children);
        }
        ObjectNode answer = ok();
        answer.put("guid_info", "");
        answer.put("guid", 0);
        ArrayNode list = answer.putArray("list");
        for (Map.Entry<String, Node> child :
                children.subList(Math.min(start, children.size()), Math.min(start + limit, children.size()))) {
            list.add(entry(child.getKey(), child.getValue()));
        }
        return answer;
    }

    private ObjectNode listall(Map<String, String> query) {
        String path = query.getOrDefault("path", "/");
        Node folder = path.equals("/") ? null : nodes.get(path);
        if (!path.equals("/") && (folder == null || !folder.directory())) {
            return error(31066, "file does not exist");
        }
        int start = number(query.get("start"), 0);
        int limit = Math.min(number(query.get("limit"), 1000), 1000);
        boolean recursive = "1".equals(query.get("recursion"));
        String prefix = path.equals("/") ? "/" : path + "/";
        ObjectNode answer = ok();
        ArrayNode list = answer.putArray("list");
        int index = 0;
        boolean more = false;
        for (Map.Entry<String, Node> entry : below(prefix).entrySet()) {
            if (!recursive && entry.getKey().indexOf('/', prefix.length()) >= 0) {
                continue;
            }
            if (index++ < start) {
                continue;
            }
            if (list.size() == limit) {
                more = true;
                break;
            }
            list.add(entry(entry.getKey(), entry.getValue()));
        }
        answer.put("has_more", more ? 1 : 0);
        answer.put("cursor", start + list.size());
        return answer;
    }

    private ObjectNode filemetas(Map<String, String> query) {
        String fsids = query.getOrDefault("fsids", "");
        if (!fsids.startsWith("[") || !fsids.endsWith("]")) {
            return error(2, "param error");
        }
        List<Long> wanted = new ArrayList<>();
        Matcher matcher = FS_ID.matcher(fsids);
        while (matcher.find()) {
            wanted.add(Long.parseLong(matcher.group()));
        }
        if (wanted.isEmpty() || wanted.size() > 100) {
            return error(2, "param error");
        }
        ObjectNode answer = ok();
        answer.putObject("names");
        ArrayNode list = answer.putArray("list");
        for (long fsId : wanted) {
            String path = paths.get(fsId);
            Node node = path == null ? null : nodes.get(path);
            if (node == null) {
                continue; // deleted: the answer simply lacks it
            }
            ObjectNode meta = entry(path, node);
            meta.put("filename", EntryPaths.name(path));
            if ("1".equals(query.get("dlink")) && !node.directory()) {
                String id = secret(12);
                dlinks.put(id, new Dlink(fsId, expiredDlinksToIssue.getAndUpdate(n -> Math.max(0, n - 1)) > 0));
                meta.put(
                        "dlink",
                        url() + "/file/" + id + "?fid=" + fsId + "&rt=pr&sign=FDtAERK-" + secret(8)
                                + "&expires=8h&chkbd=0&chkv=3&dp-logid=" + fsId + "&dp-callid=0&dstime="
                                + Instant.now().getEpochSecond() + "&r=" + random.nextInt(1_000_000) + "&origin=dlna");
            }
            list.add(meta);
        }
        return answer;
    }

    // ---- downloads -----------------------------------------------------------------------------

    private void dlink(HttpExchange exchange, String path, Map<String, String> query) throws IOException {
        if (!BaiduClient.USER_AGENT.equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
            send(exchange, 403, pcsError(31326, "user is not authorized, hitcode:119"));
            return;
        }
        int errno = tokenErrno(query);
        if (errno != 0) {
            send(
                    exchange,
                    403,
                    pcsError(
                            errno == 111 ? 111 : 110,
                            errno == 111 ? "Access token expired" : "Access token invalid or no longer valid"));
            return;
        }
        Dlink link = dlinks.get(path.substring("/file/".length()));
        if (link == null) {
            send(exchange, 404, pcsError(31066, "file does not exist"));
            return;
        }
        if (link.expired()) {
            send(exchange, 403, pcsError(31360, "expire time out error"));
            return;
        }
        // The link itself holds no data: it sends the client on to a data host.
        exchange.getResponseHeaders().set("Location", url() + "/data/" + link.fsId() + "?xcode=" + secret(8));
        exchange.sendResponseHeaders(302, -1);
    }

    private void data(HttpExchange exchange, String path) throws IOException {
        if (!BaiduClient.USER_AGENT.equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
            send(exchange, 403, pcsError(31326, "anti hotlinking"));
            return;
        }
        String idText = path.substring("/data/".length());
        String file = FS_ID.matcher(idText).matches() ? paths.get(Long.parseLong(idText)) : null;
        Node node = file == null ? null : nodes.get(file);
        if (node == null || node.directory()) {
            send(exchange, 404, pcsError(31066, "file does not exist"));
            return;
        }
        byte[] content = node.content();
        int from = 0;
        int to = content.length - 1;
        String range = exchange.getRequestHeaders().getFirst("Range");
        boolean partial = false;
        if (range != null) {
            Matcher matcher = RANGE.matcher(range.trim());
            if (!matcher.matches() || Long.parseLong(matcher.group(1)) >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                send(exchange, 416, pcsError(31023, "range error"));
                return;
            }
            from = (int) Long.parseLong(matcher.group(1));
            if (!matcher.group(2).isEmpty()) {
                to = (int) Math.min(to, Long.parseLong(matcher.group(2)));
            }
            partial = true;
        }
        byte[] body = Arrays.copyOfRange(content, from, to + 1);
        if (corruptDownloads.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && body.length > 0) {
            body[body.length / 2] ^= 0x20;
        }
        exchange.getResponseHeaders().set("Content-MD5", md5(content));
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        if (partial) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
        }
        boolean truncate = truncatedDownloads.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        exchange.sendResponseHeaders(partial ? 206 : 200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, truncate ? body.length / 2 : body.length);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Map<String, Node> below(String prefix) {
        return prefix.equals("/")
                ? nodes
                : nodes.subMap(prefix, true, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1), false);
    }

    private ObjectNode entry(String path, Node node) {
        ObjectNode entry = json.createObjectNode();
        entry.put("category", node.directory() ? 6 : 4);
        entry.put("fs_id", node.fsId());
        entry.put("isdir", node.directory() ? 1 : 0);
        entry.put("local_ctime", node.mtime());
        entry.put("local_mtime", node.mtime());
        if (!node.directory()) {
            // Not the data's MD5: Baidu's own value for newer uploads.
            entry.put("md5", md5(("baidu-block:" + md5(node.content())).getBytes(StandardCharsets.UTF_8)));
        } else {
            entry.put("dir_empty", 0);
            entry.put("empty", 0);
        }
        entry.put("oper_id", 0);
        entry.put("path", path);
        entry.put("privacy", 0);
        entry.put("server_atime", 0);
        entry.put("server_ctime", node.mtime());
        entry.put("server_filename", EntryPaths.name(path));
        entry.put("server_mtime", node.mtime());
        entry.put("share", 0);
        entry.put("size", size(node));
        entry.put("unlist", 0);
        return entry;
    }

    private static long size(Node node) {
        return node.directory() ? 0 : node.content().length;
    }

    private ObjectNode ok() {
        ObjectNode answer = json.createObjectNode();
        answer.put("errno", 0);
        answer.put("errmsg", "succ");
        answer.put("request_id", Long.toString(random.nextLong() & Long.MAX_VALUE));
        return answer;
    }

    private ObjectNode error(int errno, String message) {
        ObjectNode answer = json.createObjectNode();
        answer.put("errno", errno);
        if (message != null) {
            answer.put("errmsg", message);
        }
        answer.put("request_id", random.nextLong() & Long.MAX_VALUE);
        return answer;
    }

    private String pcsError(int code, String message) {
        ObjectNode answer = json.createObjectNode();
        answer.put("error_code", code);
        answer.put("error_msg", message);
        answer.put("request_id", random.nextLong() & Long.MAX_VALUE);
        return answer.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A query string or form body, decoded. */
    static Map<String, String> parameters(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static int number(String text, int fallback) {
        return text != null && text.matches("[0-9]{1,9}") ? Integer.parseInt(text) : fallback;
    }

    private String secret(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /** A file (with its bytes) or a folder. */
    private record Node(boolean directory, byte[] content, long fsId, long mtime) {}

    /** A handed-out download link: which file, and whether it is already past its lifetime. */
    private record Dlink(long fsId, boolean expired) {}

    /** A scripted answer. */
    private record Canned(int status, String body, Map<String, String> headers) {}
}
