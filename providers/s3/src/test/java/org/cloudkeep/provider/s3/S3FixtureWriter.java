package org.cloudkeep.provider.s3;

import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.provider.tck.FixtureWriter;

/**
 * Writes objects straight to the S3 server with PUT and DELETE, beside the provider (which only reads): a folder is a
 * zero-byte marker object {@code folder/}. Thread-safe, as the suite writes from several threads.
 */
final class S3FixtureWriter implements FixtureWriter {

    private final S3Client client;

    S3FixtureWriter(Map<String, String> credentials) throws ProviderException {
        S3Settings settings = S3Settings.defaults();
        this.client = new S3Client(S3Provider.httpClient(settings), S3Account.parse(credentials), settings);
    }

    /** Creates the account's bucket (CreateBucket). */
    void createBucket() throws ProviderException {
        S3Client.closeQuietly(client.send("PUT", null, Map.of(), Map.of(), new byte[0], Set.of(200), "creating bucket")
                .body());
    }

    @Override
    public void write(String path, byte[] content) throws ProviderException {
        put(client.account().key(EntryPaths.normalize(path)), content);
    }

    @Override
    public void mkdirs(String path) throws ProviderException {
        String folder = EntryPaths.normalize(path);
        if (!folder.equals(EntryPaths.ROOT)) {
            put(client.account().key(folder) + "/", new byte[0]);
        }
    }

    @Override
    public void delete(String path) throws ProviderException {
        String key = client.account().key(EntryPaths.normalize(path));
        S3Client.closeQuietly(client.send("DELETE", key, Map.of(), Map.of(), null, Set.of(200, 204), "deleting " + key)
                .body());
    }

    private void put(String key, byte[] content) throws ProviderException {
        S3Client.closeQuietly(client.send("PUT", key, Map.of(), Map.of(), content, Set.of(200), "writing " + key)
                .body());
    }
}
