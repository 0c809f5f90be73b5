package org.cloudkeep.provider.webdav;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.provider.tck.FixtureWriter;

/**
 * Writes the fixture through a WebDAV server itself (MKCOL, PUT, DELETE), for servers that cache
 * what they serve. URLs are built with {@link URLEncoder}, not with the provider's code, so that a
 * bug there cannot hide itself. Thread-safe.
 */
final class HttpFixtureWriter implements FixtureWriter {

    private final URI root;
    private final String authorization;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Set<String> madeFolders = ConcurrentHashMap.newKeySet();

    HttpFixtureWriter(URI root, String user, String password) {
        this.root = root;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(String path, byte[] content) throws IOException, InterruptedException {
        mkdirs(EntryPaths.parent(path));
        send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(content)), Set.of(200, 201, 204), path);
    }

    @Override
    public void mkdirs(String path) throws IOException, InterruptedException {
        String folder = "";
        for (String name : EntryPaths.names(path)) {
            folder = folder + "/" + name;
            if (!madeFolders.contains(folder)) {
                // 405: it exists already (another thread may have just made it).
                send(
                        request(folder + "/").method("MKCOL", HttpRequest.BodyPublishers.noBody()),
                        Set.of(201, 405),
                        folder);
                madeFolders.add(folder);
            }
        }
    }

    @Override
    public void delete(String path) throws IOException, InterruptedException {
        send(request(path).DELETE(), Set.of(200, 204), path);
    }

    private HttpRequest.Builder request(String path) {
        StringBuilder url = new StringBuilder(root.toString());
        for (String name : path.substring(1).split("/", -1)) {
            // Not URI.toASCIIString(): it turns NFD names into NFC. A form-encoded '+' must be a space here.
            url.append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                    .append('/');
        }
        url.setLength(url.length() - 1);
        return HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
    }

    private void send(HttpRequest.Builder request, Set<Integer> expected, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (!expected.contains(response.statusCode())) {
            throw new IOException(request.build().method() + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
