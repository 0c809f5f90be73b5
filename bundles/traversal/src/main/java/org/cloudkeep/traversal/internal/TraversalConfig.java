package org.cloudkeep.traversal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = ScheduledTraversals.PID,
        name = "CloudKeep traversal",
        description = "When containers are walked through their providers, and how provider failures are retried.")
@interface TraversalConfig {

    @AttributeDefinition(
            name = "Check every (seconds)",
            description = "How often the scheduler looks for containers that are due; a request for a traversal"
                    + " now wakes it at once.",
            min = "1")
    int checkEverySeconds() default 30;

    @AttributeDefinition(name = "Threads", description = "Containers traversed at the same time.", min = "1")
    int threads() default 2;

    @AttributeDefinition(
            name = "Call attempts",
            description = "Tries of one provider call that fails transiently (1: no retry). Between tries it waits"
                    + " 1 s, 2 s, 4 s ... at most 60 s, or what a rate limit asks for.",
            min = "1")
    int callAttempts() default 5;

    @AttributeDefinition(
            name = "Longest retry-after (seconds)",
            description =
                    "The longest wait a provider's rate limit is honoured for; a longer retry-after is cut to it.",
            min = "0")
    int maxRetryAfterSeconds() default 600;

    @AttributeDefinition(
            name = "Batch size",
            description = "Listing rows written and committed per batch while a traversal walks. Keep it under"
                    + " Derby's lock escalation threshold (5000 rows), so that a batch never locks the whole"
                    + " listing table that other traversals write to.",
            min = "1")
    int batchSize() default 2000;
}
