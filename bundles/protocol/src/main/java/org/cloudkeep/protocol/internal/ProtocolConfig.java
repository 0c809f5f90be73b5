package org.cloudkeep.protocol.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = ProtocolServlet.PID,
        name = "CloudKeep device protocol",
        description = "The JSON-over-HTTP protocol under /api/v1 that users and devices speak.")
@interface ProtocolConfig {

    @AttributeDefinition(
            name = "Largest request body",
            description = "Bytes a request body may hold; a larger one is answered 413. Default 1 MiB.",
            min = "1024")
    long maxBodyBytes() default 1_048_576L;
}
