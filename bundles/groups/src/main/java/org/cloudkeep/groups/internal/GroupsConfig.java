package org.cloudkeep.groups.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = DatabaseTaskGroups.PID,
        name = "CloudKeep task groups",
        description = "When a device counts as ACTIVE (it is handed task groups) or INACTIVE (it is not).")
@interface GroupsConfig {

    @AttributeDefinition(
            name = "Minimum free bytes",
            description = "A device whose reported free space is at or above this is ACTIVE, below it INACTIVE. "
                    + "Default 1 GiB.",
            min = "0")
    long minFreeBytes() default 1_073_741_824L;

    @AttributeDefinition(
            name = "Recheck seconds",
            description = "How long an INACTIVE device waits before it reports its free space again.",
            min = "1")
    int recheckSeconds() default 300;
}
