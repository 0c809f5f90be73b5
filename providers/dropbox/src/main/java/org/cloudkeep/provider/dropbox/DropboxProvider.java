package org.cloudkeep.provider.dropbox;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHasher;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Dropbox (API v2) as a cloud drive: OAuth2 with PKCE and offline refresh tokens, {@code list_folder} cursors for
 * pages, whole trees and changes, {@code content_hash}, ranged downloads. A thin client on the JDK's HTTP client and
 * Jackson; no Dropbox SDK.
 *
 * <p>The app registration and the base URLs come from Configuration Admin, PID {@value #PID}.
 */
@Component(
        service = CloudDriveProvider.class,
        property = CloudDriveProvider.PROVIDER_ID + "=" + DropboxProvider.ID,
        configurationPid = DropboxProvider.PID)
@Designate(ocd = DropboxProvider.Config.class)
public final class DropboxProvider implements CloudDriveProvider {

    /** The provider id, also its service property. */
    public static final String ID = "dropbox";

    /** The configuration PID. */
    public static final String PID = "cloudkeep.provider.dropbox";

    /** Credential: the OAuth2 access token. */
    public static final String ACCESS_TOKEN = "accessToken";

    /** Credential: the OAuth2 refresh token (offline access), which lets a session renew the access token. */
    public static final String REFRESH_TOKEN = "refreshToken";

    /** Credential: when the access token expires, in seconds since the epoch; empty when unknown. */
    public static final String EXPIRES_AT = "expiresAt";

    /** Dropbox's {@code content_hash}: SHA-256 over the SHA-256 of each 4 MiB block. */
    public static final String CONTENT_HASH = DropboxContentHasher.ALGORITHM;

    @ObjectClassDefinition(
            id = PID,
            name = "CloudKeep Dropbox provider",
            description = "The Dropbox app registration CloudKeep signs in with, and where Dropbox is.")
    public @interface Config {

        @AttributeDefinition(name = "App key", description = "The app key from the Dropbox App Console (client_id).")
        String appKey() default "";

        @AttributeDefinition(
                name = "App secret",
                description = "The app secret; leave empty for a PKCE-only app.",
                type = AttributeType.PASSWORD)
        // "_appSecret" is the property ".appSecret": a leading dot keeps it out of the service properties.
        String _appSecret() default "";

        @AttributeDefinition(name = "API URL", description = "The RPC host; it also serves /oauth2/token.")
        String apiUrl() default "https://api.dropboxapi.com";

        @AttributeDefinition(name = "Content URL", description = "The host that serves downloads.")
        String contentUrl() default "https://content.dropboxapi.com";

        @AttributeDefinition(name = "Authorize URL", description = "The page where a person allows access.")
        String authorizeUrl() default "https://www.dropbox.com/oauth2/authorize";

        @AttributeDefinition(name = "Connect timeout (s)", min = "1")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(
                name = "Read timeout (s)",
                description = "The longest wait for an answer, and for each further piece of a download.",
                min = "1")
        int readTimeoutSeconds() default 60;
    }

    private final ProviderDescriptor descriptor = new ProviderDescriptor(
            ID,
            "Dropbox",
            List.of(
                    new CredentialField(ACCESS_TOKEN, "Access token", true),
                    new CredentialField(REFRESH_TOKEN, "Refresh token", true),
                    new CredentialField(EXPIRES_AT, "Access token expires at (epoch seconds)", false)),
            List.of(CONTENT_HASH),
            Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING, Capability.CHANGE_CURSOR));

    private final DropboxClient client;
    private final DropboxOAuth2 oauth2;

    @Activate
    public DropboxProvider(Config config) {
        this(new DropboxSettings(
                config.appKey(),
                config._appSecret(),
                URI.create(config.apiUrl().trim()),
                URI.create(config.contentUrl().trim()),
                URI.create(config.authorizeUrl().trim()),
                Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds())));
    }

    /** A provider outside OSGi, for tests and tools. */
    public DropboxProvider(DropboxSettings settings) {
        this.client = new DropboxClient(settings);
        this.oauth2 = new DropboxOAuth2(settings, client);
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    /** Opens a session and checks the credentials with one call, renewing an expired access token on the way. */
    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        DropboxSession session = new DropboxSession(client, oauth2, Tokens.from(credentials));
        boolean checked = false;
        try {
            session.checkAccount();
            checked = true;
            return session;
        } finally {
            if (!checked) {
                session.close();
            }
        }
    }

    @Override
    public ContentHasher hasher(String algorithm) {
        return CONTENT_HASH.equals(algorithm) ? new DropboxContentHasher() : ContentHasher.standard(algorithm);
    }

    @Override
    public Optional<OAuth2Flow> oauth2() {
        return Optional.of(oauth2);
    }
}
