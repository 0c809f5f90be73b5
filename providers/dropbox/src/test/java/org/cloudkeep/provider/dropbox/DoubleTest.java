package org.cloudkeep.provider.dropbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh Dropbox double per test, a provider configured for it, and a signed-in account. */
abstract class DoubleTest {

    DropboxDouble server;
    DropboxProvider provider;
    Map<String, String> credentials;

    @BeforeEach
    void startDouble() throws IOException {
        server = DropboxDouble.start();
        provider = new DropboxProvider(server.settings());
        credentials = server.signIn();
    }

    @AfterEach
    void stopDouble() {
        server.close();
    }

    ProviderSession connect() throws ProviderException {
        return provider.connect(credentials);
    }

    static byte[] read(ProviderSession session, String path, long offset) throws ProviderException, IOException {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
