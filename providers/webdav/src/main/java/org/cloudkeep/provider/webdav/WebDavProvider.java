package org.cloudkeep.provider.webdav;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * WebDAV servers (Nextcloud, ownCloud, Apache mod_dav, rclone, ...), listed folder by folder with
 * {@code PROPFIND Depth: 1}: see {@link WebDavSession}.
 */
@Component(
        service = CloudDriveProvider.class,
        property = CloudDriveProvider.PROVIDER_ID + "=" + WebDavProvider.ID,
        configurationPid = WebDavProvider.PID)
@Designate(ocd = WebDavProvider.Config.class)
public final class WebDavProvider implements CloudDriveProvider {

    public static final String ID = "webdav";

    /** The Configuration Admin PID of the provider's settings. */
    public static final String PID = "org.cloudkeep.provider.webdav";

    public static final String URL_FIELD = "url";
    public static final String USERNAME_FIELD = "username";
    public static final String PASSWORD_FIELD = "password";

    @ObjectClassDefinition(
            id = PID,
            name = "CloudKeep WebDAV provider",
            description = "Time-outs and page size for every WebDAV account.")
    public @interface Config {

        @AttributeDefinition(name = "Connect time-out (s)", min = "1")
        int connectTimeoutSeconds() default 20;

        @AttributeDefinition(
                name = "Request time-out (s)",
                description = "Longest wait from a listing's request to the headers of its answer.",
                min = "1")
        int requestTimeoutSeconds() default 120;

        @AttributeDefinition(
                name = "Read time-out (s)",
                description = "Longest wait for the next bytes of a listing or a download, and for a download's answer"
                        + " to begin.",
                min = "1")
        int readTimeoutSeconds() default 60;

        @AttributeDefinition(
                name = "Page size",
                description = "Entries per page of a listing.",
                min = "1",
                max = "1000")
        int pageSize() default 1000;
    }

    private final WebDavSettings settings;
    private final HttpClient client;
    private final ProviderDescriptor descriptor = new ProviderDescriptor(
            ID,
            "WebDAV",
            List.of(
                    new CredentialField(URL_FIELD, "WebDAV folder URL", false),
                    new CredentialField(USERNAME_FIELD, "User name", false),
                    new CredentialField(PASSWORD_FIELD, "Password or app password", true)),
            // Only servers that keep ownCloud checksums (oc:checksums) give a hash; the best one is taken.
            List.of(ContentHash.SHA256, ContentHash.SHA1, ContentHash.MD5),
            Set.of(Capability.RANGED_READS));

    /** For tests and plain Java use: no OSGi needed. */
    public WebDavProvider(WebDavSettings settings) {
        this.settings = settings;
        this.client = WebDavSession.client(settings);
    }

    @Activate
    public WebDavProvider(Config config) {
        this(new WebDavSettings(
                Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.requestTimeoutSeconds()),
                Duration.ofSeconds(config.readTimeoutSeconds()),
                config.pageSize()));
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Checks the credentials with a {@code PROPFIND Depth: 0} on the folder URL, so that a wrong
     * URL or password is reported here rather than at the first listing.
     */
    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        Map<String, String> given = credentials == null ? Map.of() : credentials;
        DavUrls urls;
        try {
            urls = DavUrls.of(given.get(URL_FIELD));
        } catch (IllegalArgumentException e) {
            throw new BadCredentialsException(e.getMessage(), e);
        }
        String username = given.get(USERNAME_FIELD);
        if (username == null || username.isEmpty()) {
            throw new BadCredentialsException("No user name given for " + urls.root() + ".");
        }
        if (username.indexOf(':') >= 0) {
            throw new BadCredentialsException(
                    "A WebDAV user name cannot hold ':' (basic authentication splits there).");
        }
        String password = given.get(PASSWORD_FIELD);
        if (password == null) {
            throw new BadCredentialsException("No password given for " + username + " at " + urls.root() + ".");
        }
        WebDavSession session = new WebDavSession(urls, username, password, settings, client);
        boolean checked = false;
        try {
            session.checkRoot();
            checked = true;
            return session;
        } finally {
            if (!checked) {
                session.close();
            }
        }
    }
}
