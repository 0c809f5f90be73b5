package org.cloudkeep.traversal.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.providers.ProviderRegistry;

/** The providers a test installs, by id. */
final class TestProviders implements ProviderRegistry {

    private final Map<String, CloudDriveProvider> providers = new ConcurrentHashMap<>();

    TestProviders install(CloudDriveProvider provider) {
        providers.put(provider.descriptor().id(), provider);
        return this;
    }

    @Override
    public Optional<CloudDriveProvider> find(String providerId) {
        return Optional.ofNullable(providers.get(providerId));
    }

    @Override
    public List<ProviderDescriptor> descriptors() {
        return providers.values().stream()
                .map(CloudDriveProvider::descriptor)
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
    }
}
