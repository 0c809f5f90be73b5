package org.cloudkeep.provider.local;

import java.nio.file.Path;
import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.FolderFixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.io.TempDir;

/** The local-folder provider passes the same conformance suite as every other provider. */
class LocalFolderConformanceTest extends ProviderConformanceTest {

    // static: an instance @TempDir is a new folder for every test method, the fixture is written once
    @TempDir
    static Path served;

    @Override
    protected CloudDriveProvider provider() {
        return new LocalFolderProvider();
    }

    @Override
    protected Map<String, String> credentials() {
        return Map.of(LocalFolderProvider.ROOT_FIELD, served.toString());
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        return Map.of(
                LocalFolderProvider.ROOT_FIELD, served.resolve("no such folder").toString());
    }

    @Override
    protected FixtureWriter fixture() {
        return new FolderFixtureWriter(served);
    }
}
