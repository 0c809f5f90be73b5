package org.cloudkeep.fetcher.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
        id = Fetcher.PID,
        name = "CloudKeep fetcher",
        description = "How the device backs up its containers: where from, where to, how many files at once. "
                + "The device token is never configured here: it comes from the launcher's --token "
                + "(environment variable CLOUDKEEP_DEVICE_TOKEN).")
@interface FetcherConfig {

    @AttributeDefinition(
            name = "Cloud URL",
            description = "The cloud runtime, e.g. http://192.168.1.10:8080. Empty: the launcher's --cloud "
                    + "(framework property cloudkeep.cloud); without either the device does not back up.")
    String cloudUrl() default "";

    @AttributeDefinition(
            name = "Backup root",
            description = "The folder every container's files land in, under <root>/<containerId>/. Empty: the "
                    + "launcher's --backup-root (framework property cloudkeep.backupRoot), else <data>/backup.")
    String backupRoot() default "";

    @AttributeDefinition(
            name = "Mode",
            description = "SERIAL: one container, one file at a time. PARALLEL: the first group of every "
                    + "container, several files at once. AUTO: PARALLEL when the device has more than one core.",
            options = {
                @Option(label = "Automatic", value = "AUTO"),
                @Option(label = "Serial", value = "SERIAL"),
                @Option(label = "Parallel", value = "PARALLEL")
            })
    String mode() default "AUTO";

    @AttributeDefinition(name = "Parallel downloads", description = "Files downloaded at once in PARALLEL mode.")
    int parallelDownloads() default 4;

    @AttributeDefinition(
            name = "Report batch",
            description = "Fetched paths sent in one report at most; a report also goes out every second.")
    int reportBatch() default 100;

    @AttributeDefinition(
            name = "Idle seconds",
            description = "How long the cloud may hold an ask for groups while it has nothing to fetch (at most"
                    + " 60 s; it answers as soon as there is something); with an older cloud, how long to wait"
                    + " before asking again.")
    int idleSeconds() default 15;

    @AttributeDefinition(
            name = "Attempts per file",
            description = "Tries of one file that fails transiently (network, server errors) before it is "
                    + "left for the next round.")
    int attemptsPerFile() default 5;

    @AttributeDefinition(
            name = "Longest retry-after",
            description = "The longest wait in seconds a provider's rate limit is honoured for at once.")
    int maxRetryAfterSeconds() default 600;

    @AttributeDefinition(
            name = "Checkpoint MiB",
            description = "A download is forced to disk and its offset recorded every this many MiB; a restart "
                    + "resumes from the last checkpoint.")
    int checkpointMebibytes() default 8;

    @AttributeDefinition(
            name = "Reserve MiB",
            description = "Free space a download must leave on the backup disk; a file that does not fit stops "
                    + "fetching until space is freed.")
    int reserveMebibytes() default 64;

    @AttributeDefinition(
            name = "Free-space file",
            description = "For tests and demonstrations only: read the free space (a number of bytes) from this "
                    + "file instead of the disk. Empty: framework property cloudkeep.fetcher.freeBytesFile, "
                    + "else the real disk.")
    String freeBytesFile() default "";
}
