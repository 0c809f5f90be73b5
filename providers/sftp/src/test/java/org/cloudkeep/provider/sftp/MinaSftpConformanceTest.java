package org.cloudkeep.provider.sftp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.itests.servers.MinaSftpServer;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.FolderFixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against Apache MINA SSHD in this JVM, logging in with a password. */
class MinaSftpConformanceTest extends ProviderConformanceTest {

    @TempDir
    static Path served;

    private MinaSftpServer server;
    private SftpProvider provider;

    @BeforeAll
    void start() throws IOException {
        server = MinaSftpServer.serving(served).password(Accounts.PASSWORD).start();
        provider = new SftpProvider(SftpSettings.defaults());
    }

    @AfterAll
    void stop() throws IOException {
        provider.close();
        server.close();
    }

    @Override
    protected CloudDriveProvider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> credentials() {
        return Accounts.mina(server);
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        return Accounts.with(credentials(), SftpCredentials.PASSWORD, Accounts.PASSWORD + "!");
    }

    @Override
    protected FixtureWriter fixture() {
        return new FolderFixtureWriter(served);
    }
}
