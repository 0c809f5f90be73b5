package org.cloudkeep.merge.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = StreamingSnapshotMerger.PID,
        name = "CloudKeep snapshot merge",
        description = "How a traversal's listing is merged into its container's snapshot.")
@interface MergeConfig {

    @AttributeDefinition(
            name = "Batch size",
            description = "Rows of the new snapshot written per JDBC batch; also the cursors' fetch size.",
            min = "1")
    int batchSize() default StreamingSnapshotMerger.DEFAULT_BATCH_SIZE;
}
