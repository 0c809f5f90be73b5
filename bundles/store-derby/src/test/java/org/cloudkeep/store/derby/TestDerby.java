package org.cloudkeep.store.derby;

import java.nio.file.Path;

/**
 * A real embedded Derby database in a test's folder, shut down on close. Shared with other
 * modules' tests through this module's test jar.
 */
public final class TestDerby extends DerbyDataSource implements AutoCloseable {

    public TestDerby(Path location) throws Exception {
        super(location);
    }

    @Override
    public void close() {
        shutdown();
    }
}
