package org.cloudkeep.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = MigratedDatabase.PID,
        name = "CloudKeep schema",
        description = "Which schema the runtime's database holds; its migrations are applied at start.")
@interface StoreConfig {

    @AttributeDefinition(
            name = "Schema",
            description = "cloud or device. Empty: the runtime's own (framework property cloudkeep.runtime).")
    String schema() default "";

    @AttributeDefinition(
            name = "Data source filter",
            description = "LDAP filter that picks the DataSource service, e.g. (database=derby).")
    String dataSource_target() default "(database=*)";
}
