package com.example.cloudkeep;

import java.nio.file.Path;
import java.util.Map;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.provider.tck.FixtureWriter;
import org.cloudkeep.provider.tck.FolderFixtureWriter;
import org.cloudkeep.provider.tck.ProviderConformanceTest;
import org.junit.jupiter.api.io.TempDir;

/** The CloudKeep conformance suite, run against this provider. */
class ExampleConformanceTest extends ProviderConformanceTest {

    @TempDir
    static Path served; // static: the suite writes its fixture once for the whole class

    @Override
    protected CloudDriveProvider provider() {
        return new ExampleProvider();
    }

    @Override
    protected Map<String, String> credentials() {
        return Map.of(ExampleProvider.ROOT, served.toString());
    }

    @Override
    protected Map<String, String> wrongCredentials() {
        return Map.of(ExampleProvider.ROOT, served.resolve("no such folder").toString());
    }

    @Override
    protected FixtureWriter fixture() {
        return new FolderFixtureWriter(served);
    }
}
