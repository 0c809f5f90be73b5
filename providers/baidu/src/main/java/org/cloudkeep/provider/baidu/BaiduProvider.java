package org.cloudkeep.provider.baidu;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Baidu Netdisk through its open platform (xpan) API.
 *
 * <p>Accounts are authorized with OAuth2 ({@link #oauth2()}); their credentials are the tokens
 * ({@value Tokens#ACCESS_TOKEN}, {@value Tokens#REFRESH_TOKEN}, {@value Tokens#EXPIRES_AT}). The
 * app's key and secret, and the servers, come from the configuration {@value #PID}. Entries carry
 * no hash (see {@link BaiduSession}); downloads resume at any offset.
 */
@Component(
        service = CloudDriveProvider.class,
        configurationPid = BaiduProvider.PID,
        property = CloudDriveProvider.PROVIDER_ID + "=" + BaiduProvider.ID)
@Designate(ocd = BaiduConfig.class)
public final class BaiduProvider implements CloudDriveProvider {

    /** The provider id, also its service property. */
    public static final String ID = "baidu";

    /** The configuration PID. */
    public static final String PID = "cloudkeep.provider.baidu";

    private final ProviderDescriptor descriptor = new ProviderDescriptor(
            ID,
            "Baidu Netdisk",
            List.of(
                    new CredentialField(Tokens.ACCESS_TOKEN, "Access token", true),
                    new CredentialField(Tokens.REFRESH_TOKEN, "Refresh token", true),
                    new CredentialField(Tokens.EXPIRES_AT, "Access token expires at", false)),
            List.of(),
            Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING));

    private final BaiduClient client;
    private final BaiduOAuth oauth;

    @Activate
    public BaiduProvider(BaiduConfig config) {
        this(BaiduSettings.from(config));
    }

    /** A provider with plain settings, for tests and for use without OSGi. */
    public BaiduProvider(BaiduSettings settings) {
        this.client = new BaiduClient(settings);
        this.oauth = new BaiduOAuth(client);
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        BaiduSession session = new BaiduSession(client, oauth, Tokens.from(credentials));
        session.verify();
        return session;
    }

    @Override
    public Optional<OAuth2Flow> oauth2() {
        return Optional.of(oauth);
    }
}
