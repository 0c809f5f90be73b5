package org.cloudkeep.provider.dropbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

class DropboxSettingsTest {

    @Test
    void baseUrlsLoseTheirTrailingSlashAndMustBeHttp() {
        DropboxSettings settings = settings("https://api.example/", "http://content.example:8080//");
        assertEquals(URI.create("https://api.example"), settings.apiUrl());
        assertEquals(URI.create("http://content.example:8080"), settings.contentUrl());
        assertThrows(IllegalArgumentException.class, () -> settings("ftp://api.example", "https://c.example"));
        assertThrows(IllegalArgumentException.class, () -> settings("/relative", "https://c.example"));
        assertThrows(IllegalArgumentException.class, () -> settings("https://api.example?x=1", "https://c.example"));
    }

    @Test
    void theDefaultsAreTheRealService() {
        DropboxSettings settings = DropboxSettings.dropbox("key", "");
        assertEquals(URI.create("https://api.dropboxapi.com"), settings.apiUrl());
        assertEquals(URI.create("https://content.dropboxapi.com"), settings.contentUrl());
        assertEquals(URI.create("https://www.dropbox.com/oauth2/authorize"), settings.authorizeUrl());
        assertTrue(settings.registered());
    }

    /** The component's configuration, as Configuration Admin would hand it over, reaches the double. */
    @Test
    void theConfigurationReachesTheProvider() throws Exception {
        try (DropboxDouble server = DropboxDouble.start()) {
            Map<String, Object> values = Map.of(
                    "appKey",
                    DropboxDouble.APP_KEY,
                    "appSecret",
                    DropboxDouble.APP_SECRET,
                    "apiUrl",
                    server.apiUrl() + "/",
                    "contentUrl",
                    server.contentUrl().toString(),
                    "authorizeUrl",
                    "https://auth.example/authorize",
                    "connectTimeoutSeconds",
                    5,
                    "readTimeoutSeconds",
                    30);
            DropboxProvider provider = new DropboxProvider(config(values));
            assertEquals("dropbox", provider.descriptor().id());
            assertEquals(
                    java.util.Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING, Capability.CHANGE_CURSOR),
                    provider.descriptor().capabilities());
            server.write("/a.txt", "a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (ProviderSession session = provider.connect(server.signIn())) {
                assertEquals(1, session.stat("/a.txt").size());
            }
            assertTrue(provider.oauth2()
                    .orElseThrow()
                    .authorizeUri(new org.cloudkeep.api.OAuth2Request(
                            URI.create("https://cloud.example/cb"), "s", "v".repeat(43)))
                    .toString()
                    .startsWith("https://auth.example/authorize?"));
        }
    }

    private static DropboxSettings settings(String api, String content) {
        return new DropboxSettings(
                "key",
                "secret",
                URI.create(api),
                URI.create(content),
                DropboxSettings.DEFAULT_AUTHORIZE_URL,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1));
    }

    private static DropboxProvider.Config config(Map<String, Object> values) {
        return (DropboxProvider.Config) Proxy.newProxyInstance(
                DropboxProvider.Config.class.getClassLoader(),
                new Class<?>[] {DropboxProvider.Config.class},
                (proxy, method, args) -> values.get(method.getName()));
    }
}
