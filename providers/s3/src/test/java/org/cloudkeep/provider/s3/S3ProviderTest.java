package org.cloudkeep.provider.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.junit.jupiter.api.Test;

class S3ProviderTest {

    @Test
    void describesItsFieldsHashAndCapabilities() {
        S3Provider provider = new S3Provider(S3Settings.defaults());
        assertEquals("s3", provider.descriptor().id());
        assertEquals(
                List.of("endpoint", "region", "bucket", "prefix", "accessKeyId", "secretAccessKey"),
                provider.descriptor().credentials().stream()
                        .map(CredentialField::name)
                        .toList());
        assertEquals(
                List.of("secretAccessKey"),
                provider.descriptor().credentials().stream()
                        .filter(CredentialField::secret)
                        .map(CredentialField::name)
                        .toList());
        assertEquals(List.of(ContentHash.MD5), provider.descriptor().hashAlgorithms());
        assertEquals(
                Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING),
                provider.descriptor().capabilities());
    }

    @Test
    void withoutTrustedEtagsItDeclaresNoHash() {
        S3Settings settings =
                new S3Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 10, false);
        assertEquals(List.of(), new S3Provider(settings).descriptor().hashAlgorithms());
    }

    @Test
    void configurationOutOfRangeIsBroughtIntoRange() {
        S3Settings settings = S3Settings.of(config(0, -5, 3, 5000));
        assertEquals(Duration.ofSeconds(1), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(1), settings.requestTimeout());
        assertEquals(Duration.ofSeconds(3), settings.readTimeout());
        assertEquals(1000, settings.pageSize());
        assertTrue(settings.etagIsMd5());
        assertEquals(1, S3Settings.of(config(1, 1, 1, 0)).pageSize());
    }

    private static S3Provider.Config config(int connect, int request, int read, int pageSize) {
        return new S3Provider.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return S3Provider.Config.class;
            }

            @Override
            public int connectTimeoutSeconds() {
                return connect;
            }

            @Override
            public int requestTimeoutSeconds() {
                return request;
            }

            @Override
            public int readTimeoutSeconds() {
                return read;
            }

            @Override
            public int pageSize() {
                return pageSize;
            }

            @Override
            public boolean etagIsMd5() {
                return true;
            }
        };
    }
}
