package org.cloudkeep.api;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of cloud drive (WebDAV, S3, Dropbox, ...). One provider plugin bundle registers one
 * instance of this service, with the service property {@link #PROVIDER_ID} equal to {@link
 * ProviderDescriptor#id()}.
 *
 * <p>Implementations must be thread-safe: the core may connect several accounts at once.
 */
@ConsumerType
public interface CloudDriveProvider {

    /** The service property that carries the provider's id; the core looks providers up by it. */
    String PROVIDER_ID = "provider.id";

    /** What this provider is, which credentials it needs, which hashes and capabilities it offers. */
    ProviderDescriptor descriptor();

    /**
     * Opens a session on one account.
     *
     * @param credentials values for the fields of {@link ProviderDescriptor#credentials()}, by name
     * @return a session the caller closes when done
     * @throws BadCredentialsException when the back end rejects the credentials, or one is missing
     * @throws ProviderException for any other failure, typed by its kind
     */
    ProviderSession connect(Map<String, String> credentials) throws ProviderException;

    /**
     * A hasher for one of this provider's {@link ProviderDescriptor#hashAlgorithms()}, used to
     * check downloaded bytes; {@code null} when the algorithm is unknown (then only the size is
     * checked). The default knows the standard digests ({@link ContentHasher#standard}); a provider
     * with its own algorithm overrides it.
     */
    default ContentHasher hasher(String algorithm) {
        return ContentHasher.standard(algorithm);
    }

    /** How accounts of this provider are authorized, when it is by OAuth2; empty otherwise. */
    default Optional<OAuth2Flow> oauth2() {
        return Optional.empty();
    }
}
