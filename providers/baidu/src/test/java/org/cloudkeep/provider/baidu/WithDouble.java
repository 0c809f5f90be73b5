package org.cloudkeep.provider.baidu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh double, a provider on it and an authorized account, for each test. */
abstract class WithDouble {

    BaiduDouble baidu;
    BaiduProvider provider;
    Map<String, String> account;
    FixtureWriter files;

    @BeforeEach
    void startDouble() throws IOException {
        baidu = new BaiduDouble();
        provider = new BaiduProvider(settings(baidu.settings()));
        account = baidu.authorizedAccount();
        files = baidu.fixture();
    }

    @AfterEach
    void stopDouble() {
        baidu.close();
    }

    /** The settings the provider gets; a test class may change them. */
    BaiduSettings settings(BaiduSettings usual) {
        return usual;
    }

    ProviderSession connect() throws ProviderException {
        return provider.connect(account);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> paths(EntryPage page) {
        return page.entries().stream().map(Entry::path).toList();
    }

    static byte[] read(ProviderSession session, String path, long offset) throws ProviderException, IOException {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    /** A list (or filemetas) answer holding these entries, as xpan sends it. */
    static String listAnswer(String... entries) {
        return "{\"errno\":0,\"guid_info\":\"\",\"list\":[" + String.join(",", entries)
                + "],\"request_id\":8765,\"guid\":0}";
    }
}
