package org.cloudkeep.provider.webdav;

import java.io.IOException;
import java.nio.file.Path;
import org.cloudkeep.itests.servers.ApacheDavServer;
import org.cloudkeep.provider.tck.FolderFixtureWriter;

/** The suite against Apache httpd mod_dav, which serves the account under /dav/ (not at the server's root). */
class ApacheDavConformanceTest extends WebDavConformanceTest {

    @Override
    Server start(Path folder, Path work, String user, String password) throws IOException {
        ApacheDavServer server = ApacheDavServer.start(folder, work, user, password);
        // Apache reads the folder afresh for every request: the suite may write to it directly.
        return new Server(server.url(), new FolderFixtureWriter(folder), server);
    }
}
