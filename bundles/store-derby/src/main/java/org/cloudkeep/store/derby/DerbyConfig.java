package org.cloudkeep.store.derby;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = DerbyDataSource.PID,
        name = "CloudKeep embedded database",
        description = "Where the embedded Apache Derby database keeps its files.")
@interface DerbyConfig {

    @AttributeDefinition(
            name = "Data folder",
            description = "Folder that holds the database. Empty: the runtime's data folder "
                    + "(framework property cloudkeep.data, set by the launcher's --data; ./data when unset).")
    String dataFolder() default "";

    @AttributeDefinition(name = "Database name", description = "Name of the database folder inside the data folder.")
    String databaseName() default "db";
}
