package org.cloudkeep.provider.baidu;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration of the Baidu Netdisk provider, PID {@value BaiduProvider#PID}. */
@ObjectClassDefinition(
        id = BaiduProvider.PID,
        name = "CloudKeep Baidu Netdisk provider",
        description = "The Baidu open-platform app CloudKeep signs in with, and the servers it talks to.")
public @interface BaiduConfig {

    @AttributeDefinition(name = "App key", description = "The app's AppKey (OAuth2 client_id).")
    String appKey() default "";

    @AttributeDefinition(
            name = "Secret key",
            description = "The app's SecretKey (OAuth2 client_secret).",
            type = AttributeType.PASSWORD)
    // "_secretKey" is the property ".secretKey": a leading dot keeps it out of the service properties.
    String _secretKey() default "";

    @AttributeDefinition(name = "API URL", description = "Where the xpan API answers.")
    String apiUrl() default "https://pan.baidu.com";

    @AttributeDefinition(name = "OAuth URL", description = "Where Baidu's OAuth 2.0 service answers.")
    String oauthUrl() default "https://openapi.baidu.com";

    @AttributeDefinition(
            name = "Wait after a rate limit (s)",
            description = "How long to wait after errno 31034: Baidu says no Retry-After.",
            min = "1")
    int rateLimitWaitSeconds() default 60;

    @AttributeDefinition(name = "Connect timeout (s)", min = "1")
    int connectTimeoutSeconds() default 15;

    @AttributeDefinition(
            name = "Read timeout (s)",
            description = "The longest wait for an answer, or for the next bytes of one.",
            min = "1")
    int readTimeoutSeconds() default 60;
}
