package org.cloudkeep.provider.dropbox;

import java.io.IOException;
import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance suite against the Dropbox API double. */
class DropboxConformanceTest extends ProviderConformanceTest {

    private DropboxDouble server;
    private DropboxProvider provider;
    private Map<String, String> credentials;

    @BeforeAll
    void startServer() throws IOException {
        server = DropboxDouble.start();
        provider = new DropboxProvider(server.settings());
        credentials = server.signIn();
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
        return credentials;
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        return Map.of(DropboxProvider.ACCESS_TOKEN, "sl.not-a-token-the-server-issued");
    }

    @Override
    protected FixtureWriter fixture() {
        return server.fixture();
    }
}
