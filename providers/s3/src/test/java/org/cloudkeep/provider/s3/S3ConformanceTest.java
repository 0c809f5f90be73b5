package org.cloudkeep.provider.s3;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.itests.servers.S3ProxyServer;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite against s3proxy (its own process, filesystem back end). The account is a prefix inside the
 * bucket, so the suite also checks that nothing leaks past the account root.
 */
class S3ConformanceTest extends ProviderConformanceTest {

    @TempDir
    static Path work;

    private S3ProxyServer server;
    private S3FixtureWriter writer;
    private final S3Provider provider = new S3Provider(S3Settings.defaults());

    @BeforeAll
    void startServer() throws Exception {
        // In memory: the filesystem back end cannot hold the suite's 255-byte name (see S3ProxyServer.Backend).
        server = S3ProxyServer.start(work, S3ProxyServer.Backend.TRANSIENT, "AKIDCONFORMANCE", "conformance-secret");
        writer = new S3FixtureWriter(credentials());
        writer.createBucket();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected CloudDriveProvider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> credentials() {
        return Map.of(
                S3Account.ENDPOINT, server.endpoint().toString(),
                S3Account.BUCKET, "tck-bucket",
                S3Account.PREFIX, "accounts/alice",
                S3Account.ACCESS_KEY_ID, server.accessKeyId(),
                S3Account.SECRET_ACCESS_KEY, server.secretAccessKey());
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        Map<String, String> wrong = new HashMap<>(credentials());
        wrong.put(S3Account.SECRET_ACCESS_KEY, "not-the-secret");
        return wrong;
    }

    @Override
    protected FixtureWriter fixture() {
        return writer;
    }
}
