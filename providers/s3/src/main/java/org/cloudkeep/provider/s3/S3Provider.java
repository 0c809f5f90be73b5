package org.cloudkeep.provider.s3;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Amazon S3 and every S3-compatible store (MinIO, Ceph, Wasabi, R2, s3proxy...): path-style URLs, SigV4, ListObjectsV2.
 * One bucket per account, optionally a key prefix inside it as the account's root.
 */
@Component(
        service = CloudDriveProvider.class,
        property = CloudDriveProvider.PROVIDER_ID + "=" + S3Provider.ID,
        configurationPid = S3Provider.PID)
@Designate(ocd = S3Provider.Config.class)
public final class S3Provider implements CloudDriveProvider {

    /** The provider id, also its service property. */
    public static final String ID = "s3";

    /** The Configuration Admin PID of the provider's settings. */
    public static final String PID = "org.cloudkeep.provider.s3";

    /** The provider's settings, the same for every account. */
    @ObjectClassDefinition(
            id = PID,
            name = "CloudKeep S3 provider",
            description = "Time-outs and paging for every S3 account.")
    public @interface Config {

        @AttributeDefinition(name = "Connect time-out (s)", description = "How long opening a connection may take.")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(
                name = "Request time-out (s)",
                description = "How long the server may take to start answering a request.")
        int requestTimeoutSeconds() default 60;

        @AttributeDefinition(
                name = "Read time-out (s)",
                description = "How long a download or listing may stay silent before it fails.")
        int readTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Page size", description = "Keys per listing call (max-keys), 1 to 1000.")
        int pageSize() default S3Settings.MAX_PAGE_SIZE;

        @AttributeDefinition(
                name = "ETag is MD5",
                description = "Take single-part ETags as the MD5 of the content. Turn off for buckets encrypted "
                        + "with SSE-KMS or SSE-C, whose ETags are not.")
        boolean etagIsMd5() default true;
    }

    private final S3Settings settings;
    private final HttpClient http;
    private final ProviderDescriptor descriptor;

    @Activate
    public S3Provider(Config config) {
        this(S3Settings.of(config));
    }

    /** A provider outside OSGi, for tests and tools. */
    public S3Provider(S3Settings settings) {
        this.settings = settings;
        // One client for all sessions: it is thread-safe and pools connections.
        this.http = httpClient(settings);
        this.descriptor = new ProviderDescriptor(
                ID,
                "Amazon S3 and compatible",
                List.of(
                        new CredentialField(S3Account.ENDPOINT, "Endpoint URL", false),
                        CredentialField.optional(S3Account.REGION, "Region (default us-east-1)", false),
                        new CredentialField(S3Account.BUCKET, "Bucket", false),
                        CredentialField.optional(S3Account.PREFIX, "Folder in the bucket", false),
                        new CredentialField(S3Account.ACCESS_KEY_ID, "Access key ID", false),
                        new CredentialField(S3Account.SECRET_ACCESS_KEY, "Secret access key", true)),
                settings.etagIsMd5() ? List.of(ContentHash.MD5) : List.of(),
                Set.of(Capability.RANGED_READS, Capability.RECURSIVE_LISTING));
    }

    /** An HTTP client as S3 calls need it: HTTP/1.1 (no h2c upgrade dance), redirects not followed (S3 sends one
     * for a wrong region, which must become an error), the connect time-out set. */
    static HttpClient httpClient(S3Settings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        S3Account account = S3Account.parse(credentials);
        S3Client client = new S3Client(http, account, settings);
        try {
            // One small listing proves the keys, the bucket and the endpoint before anything is stored.
            client.list(account.keyPrefix(), "/", 1, null);
        } catch (NotFoundException e) {
            throw new BadCredentialsException(
                    "The bucket '" + account.bucket() + "' was not found at " + account.endpoint()
                            + "; check the bucket name and endpoint (" + e.getMessage() + ")",
                    e);
        }
        return new S3Session(client, settings);
    }
}
