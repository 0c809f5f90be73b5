package org.cloudkeep.providers;

import java.util.List;
import java.util.Optional;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderDescriptor;
import org.osgi.annotation.versioning.ProviderType;

/** The provider plugins installed now. Providers come and go at any time: look one up for each use. */
@ProviderType
public interface ProviderRegistry {

    /** The provider with that id, if one is installed now. */
    Optional<CloudDriveProvider> find(String providerId);

    /** Every installed provider's descriptor, sorted by id. */
    List<ProviderDescriptor> descriptors();
}
