package org.cloudkeep.provider.baidu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderSession;
import org.junit.jupiter.api.Test;

/** What the provider says about itself, its settings and the credentials it accepts. */
class ProviderTest extends WithDouble {

    @Test
    void theDescriptorOffersRangesAndTreesButNoHash() {
        ProviderDescriptor descriptor = provider.descriptor();
        assertEquals("baidu", descriptor.id());
        assertEquals(
                List.of(
                        new CredentialField("accessToken", "Access token", true),
                        new CredentialField("refreshToken", "Refresh token", true),
                        new CredentialField("expiresAt", "Access token expires at", false)),
                descriptor.credentials());
        assertEquals(List.of(), descriptor.hashAlgorithms(), "Baidu's listing md5 is not the data's MD5");
        assertEquals(Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING), descriptor.capabilities());
        assertTrue(provider.oauth2().isPresent());
    }

    @Test
    void theConfigurationDefaultsAreBaidusOwnServers() {
        // What Configuration Admin gives when nothing is set: the annotation's own defaults.
        BaiduConfig defaults = (BaiduConfig) Proxy.newProxyInstance(
                BaiduConfig.class.getClassLoader(),
                new Class<?>[] {BaiduConfig.class},
                (proxy, method, arguments) -> method.getDefaultValue());
        BaiduSettings settings = BaiduSettings.from(defaults);
        assertEquals(URI.create("https://pan.baidu.com"), settings.apiUrl());
        assertEquals(URI.create("https://openapi.baidu.com"), settings.oauthUrl());
        assertEquals(Duration.ofSeconds(60), settings.rateLimitWait());
        assertEquals(1000, settings.pageSize());
        assertEquals("", settings.appKey());
    }

    @Test
    void settingsAreChecked() {
        URI api = URI.create("https://pan.baidu.com/");
        assertEquals(
                URI.create("https://pan.baidu.com"),
                BaiduSettings.of("k", "s", api, api).apiUrl());
        assertThrows(IllegalArgumentException.class, () -> BaiduSettings.of("k", "s", URI.create("ftp://x"), api));
        assertThrows(IllegalArgumentException.class, () -> BaiduSettings.of("k", "s", URI.create("/relative"), api));
        assertThrows(IllegalArgumentException.class, () -> BaiduSettings.of("k", "s", api, api)
                .withPageSize(0));
        assertThrows(IllegalArgumentException.class, () -> BaiduSettings.of("k", "s", api, api)
                .withPageSize(1001));
    }

    @Test
    void expiresAtIsAnInstantOrEpochSeconds() throws Exception {
        Map<String, String> credentials = new HashMap<>(account);
        credentials.put(
                Tokens.EXPIRES_AT,
                Long.toString(Instant.now().plus(Duration.ofDays(20)).getEpochSecond()));
        try (ProviderSession session = provider.connect(credentials)) {
            assertEquals(Map.of(), session.renewedCredentials(), "20 days left: nothing to renew");
        }
        credentials.put(
                Tokens.EXPIRES_AT,
                Long.toString(Instant.now().plus(Duration.ofDays(2)).getEpochSecond()));
        try (ProviderSession session = provider.connect(credentials)) {
            session.list("/", null);
            assertEquals(
                    Set.of(Tokens.ACCESS_TOKEN, Tokens.REFRESH_TOKEN, Tokens.EXPIRES_AT),
                    session.renewedCredentials().keySet(),
                    "2 days left: renewed early, so that the cloud's daily traversal renews before a device must");
        }
        credentials.put(Tokens.EXPIRES_AT, "tomorrow");
        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> provider.connect(credentials));
        assertTrue(e.getMessage().contains("expiresAt"), e.getMessage());
    }
}
