package org.cloudkeep.accounts.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.providers.ProviderRegistry;

/**
 * A provider for the tests: credentials {@code user} and {@code password}; it connects only with
 * {@link #PASSWORD}, and is unreachable while {@link #down} is set.
 */
final class TestDrive implements CloudDriveProvider {

    static final String ID = "testdrive";
    static final String PASSWORD = "open-sesame-42";

    volatile boolean down;
    volatile int connects;
    /** What a session says it learned while connecting (as SFTP's host key trusted on first use). */
    volatile Map<String, String> learned = Map.of();

    @Override
    public ProviderDescriptor descriptor() {
        return new ProviderDescriptor(
                ID,
                "Test drive",
                List.of(
                        new CredentialField("user", "User name", false),
                        new CredentialField("password", "Password", true),
                        CredentialField.optional("domain", "Domain", false)),
                List.of(),
                Set.of());
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        connects++;
        if (down) {
            throw new TransientProviderException("connection refused by test drive");
        }
        if (!PASSWORD.equals(credentials.get("password"))) {
            throw new BadCredentialsException("test drive: wrong password for " + credentials.get("user"));
        }
        return new ProviderSession() {
            @Override
            public EntryPage list(String folder, String pageToken) {
                return new EntryPage(List.of(), null);
            }

            @Override
            public Entry stat(String path) throws ProviderException {
                throw new NotFoundException(path);
            }

            @Override
            public java.io.InputStream open(String path, long offset) throws ProviderException {
                throw new NotFoundException(path);
            }

            @Override
            public Map<String, String> renewedCredentials() {
                return learned;
            }

            @Override
            public void close() {}
        };
    }

    /** A registry holding whatever the test installs. */
    static final class Registry implements ProviderRegistry {

        final Map<String, CloudDriveProvider> installed = new ConcurrentHashMap<>();

        @Override
        public Optional<CloudDriveProvider> find(String providerId) {
            return Optional.ofNullable(installed.get(providerId));
        }

        @Override
        public List<ProviderDescriptor> descriptors() {
            return installed.values().stream()
                    .map(CloudDriveProvider::descriptor)
                    .sorted(java.util.Comparator.comparing(ProviderDescriptor::id))
                    .toList();
        }
    }
}
