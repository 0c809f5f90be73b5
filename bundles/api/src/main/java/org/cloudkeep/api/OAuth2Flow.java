package org.cloudkeep.api;

import java.net.URI;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a provider whose accounts sign in with OAuth2 (Dropbox, Baidu Netdisk, ...) is connected:
 * the core sends the person to {@link #authorizeUri}, receives the code on its redirect URI, and
 * trades it with {@link #exchange} for the credentials that {@link CloudDriveProvider#connect}
 * takes. The app's client id and secret are the provider's own configuration, not the core's.
 *
 * <p>Refreshing is the session's job: credentials that carry a refresh token let a session renew
 * an expired access token by itself; it reports the renewed credentials through {@link
 * ProviderSession#renewedCredentials()} so that the core can store them.
 */
@ConsumerType
public interface OAuth2Flow {

    /** The provider's page where the person signs in and allows access. */
    URI authorizeUri(OAuth2Request request);

    /**
     * Trades an authorization code for credentials.
     *
     * @return the credentials map for {@link CloudDriveProvider#connect}, keyed by the names of
     *     {@link ProviderDescriptor#credentials()}
     * @throws BadCredentialsException when the code is wrong, used or expired
     */
    Map<String, String> exchange(OAuth2Request request, String code) throws ProviderException;
}
