package org.cloudkeep.provider.webdav;

import java.io.IOException;
import java.nio.file.Path;
import org.cloudkeep.itests.servers.RcloneWebdavServer;

/** The suite against {@code rclone serve webdav}, which serves the account at the server's root. */
class RcloneConformanceTest extends WebDavConformanceTest {

    @Override
    Server start(Path folder, Path work, String user, String password) throws IOException {
        RcloneWebdavServer server = RcloneWebdavServer.start(folder, work, user, password);
        // rclone caches listings, so the suite writes through it (see RcloneWebdavServer).
        return new Server(server.url(), new HttpFixtureWriter(server.url(), user, password), server);
    }
}
