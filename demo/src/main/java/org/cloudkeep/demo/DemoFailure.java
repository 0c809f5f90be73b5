package org.cloudkeep.demo;

import java.nio.file.Path;
import java.util.List;

/** Why the demo stopped, and the logs that tell more. */
final class DemoFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Path> logs;

    DemoFailure(String reason, Path... logs) {
        super(reason);
        this.logs = List.of(logs);
    }

    DemoFailure(String reason, Throwable cause, Path... logs) {
        super(reason, cause);
        this.logs = List.of(logs);
    }

    /** The logs whose last lines explain the failure; may be empty. */
    List<Path> logs() {
        return logs;
    }
}
