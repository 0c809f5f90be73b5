package org.cloudkeep.provider.baidu;

import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance suite against the loopback double of Baidu Netdisk. */
class BaiduConformanceTest extends ProviderConformanceTest {

    private BaiduDouble baidu;
    private BaiduProvider provider;
    private Map<String, String> credentials;

    @BeforeAll
    void startDouble() throws Exception {
        baidu = new BaiduDouble();
        provider = new BaiduProvider(baidu.settings());
        credentials = baidu.authorizedAccount();
    }

    @AfterAll
    void stopDouble() {
        if (baidu != null) {
            baidu.close();
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
        return Map.of(Tokens.ACCESS_TOKEN, "121.wrong", Tokens.REFRESH_TOKEN, "122.wrong");
    }

    @Override
    protected FixtureWriter fixture() {
        return baidu.fixture();
    }
}
