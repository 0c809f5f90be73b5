package org.cloudkeep.itests.servers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rclone serve webdav} serving one folder at {@code /} behind basic auth, as its own process
 * on 127.0.0.1.
 *
 * <p>rclone caches each folder's listing for five minutes, so a test must change the tree through
 * the server (PUT, MKCOL, DELETE), not behind its back in the folder. Turning the cache off
 * ({@code --dir-cache-time 0s}) is no way out: rclone then rereads the whole folder for every
 * entry of a PROPFIND answer, which takes minutes for a folder of 10,000 files.
 */
public final class RcloneWebdavServer extends WebDavServer {

    private RcloneWebdavServer(LoopbackProcess process, String user, String password) {
        super(process, user, password, "/");
    }

    /**
     * Starts rclone serving {@code folder}, which the test fills directly.
     *
     * @param workDir a folder for the log (rclone reads no configuration: the file named there does
     *     not exist)
     */
    public static RcloneWebdavServer start(Path folder, Path workDir, String user, String password) throws IOException {
        return start(folder, workDir, user, password, List.of());
    }

    /**
     * As {@link #start(Path, Path, String, String)}, with more rclone flags, for instance {@code
     * --bwlimit 1M} to keep downloads in flight long enough for a test to act during them.
     */
    public static RcloneWebdavServer start(Path folder, Path workDir, String user, String password, List<String> flags)
            throws IOException {
        Path rclone = LoopbackProcess.program("rclone", "rclone");
        int port = LoopbackProcess.freePort();
        Path work = workDir.toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                rclone.toString(),
                "serve",
                "webdav",
                "--config",
                work.resolve("rclone.conf").toString(),
                "--addr",
                "127.0.0.1:" + port,
                "--user",
                user,
                "--pass",
                password));
        command.addAll(flags);
        command.add(folder.toAbsolutePath().toString());
        LoopbackProcess process = LoopbackProcess.start(
                "rclone serve webdav", command, work, work.resolve("rclone.log"), port, Duration.ofSeconds(30));
        return new RcloneWebdavServer(process, user, password);
    }
}
