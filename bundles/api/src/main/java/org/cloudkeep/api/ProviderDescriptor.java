package org.cloudkeep.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a provider is and offers.
 *
 * @param id stable, lower-case id, also the {@link CloudDriveProvider#PROVIDER_ID} service
 *     property: {@code [a-z0-9][a-z0-9-]*}, at most 64 characters
 * @param displayName the name people see
 * @param credentials the fields an account needs, in the order a form shows them
 * @param hashAlgorithms the {@link ContentHash#algorithm()} names its entries carry; empty when the
 *     back end has none (then size and modified time decide whether a file changed)
 * @param capabilities optional operations the provider offers
 */
public record ProviderDescriptor(
        String id,
        String displayName,
        List<CredentialField> credentials,
        List<String> hashAlgorithms,
        Set<Capability> capabilities) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public ProviderDescriptor {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("provider id must match " + ID + ": " + id);
        }
        Objects.requireNonNull(displayName, "displayName");
        credentials = List.copyOf(credentials);
        hashAlgorithms = List.copyOf(hashAlgorithms);
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(capabilities);
    }

    /** Whether the provider offers an optional operation. */
    public boolean offers(Capability capability) {
        return capabilities.contains(capability);
    }
}
