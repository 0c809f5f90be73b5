package org.cloudkeep.provider.sftp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The provider's configuration (PID {@value SftpProvider#PID}): the same for every SFTP account. */
@ObjectClassDefinition(
        id = SftpProvider.PID,
        name = "CloudKeep SFTP provider",
        description = "Time-outs and listing page size for every SFTP account.")
@interface SftpConfig {

    @AttributeDefinition(
            name = "Connect time-out (seconds)",
            description = "How long opening the TCP connection, the SSH handshake and the login may take.",
            min = "1")
    int connectTimeoutSeconds() default 15;

    @AttributeDefinition(
            name = "Operation time-out (seconds)",
            description = "How long one SFTP request (a stat, a directory read, a read of a download) may go"
                    + " without any answer before the connection is dropped and the call fails as transient.",
            min = "1")
    int operationTimeoutSeconds() default 60;

    @AttributeDefinition(
            name = "Keep-alive interval (seconds)",
            description = "An idle connection sends an SSH keep-alive this often; after three unanswered ones"
                    + " it is considered dead.",
            min = "1")
    int keepAliveSeconds() default 15;

    @AttributeDefinition(
            name = "Page size",
            description = "The most entries one page of a folder listing holds.",
            min = "1",
            max = "10000")
    int pageSize() default 1000;
}
