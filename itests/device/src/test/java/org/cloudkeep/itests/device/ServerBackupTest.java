package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cloudkeep.itests.servers.ApacheDavServer;
import org.cloudkeep.itests.servers.OpenSshServer;
import org.cloudkeep.itests.servers.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole backup through each network provider, from a real server on 127.0.0.1 to the device's
 * backup folder, compared byte for byte with the tree the server serves.
 */
class ServerBackupTest {

    @TempDir
    Path dir;

    /** The tree every server serves: mixed sizes, nested folders, one file above 4 MiB. */
    private Path source() throws Exception {
        // httpd serves it as www-data when the tests run as root: let others through the test folder.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = Trees.mixed(dir.resolve("source"), 5, 60, 300_000);
        Trees.write(source, "big/five-megabytes.bin", Trees.bytes(55, (5 << 20) + 7));
        Trees.write(source, "names/with space & ünïcode 文件.txt", Trees.bytes(56, 1000));
        return source;
    }

    @Test
    void aWebdavBackupIsByteIdenticalToTheServedTree() throws Exception {
        Path source = source();
        try (ApacheDavServer server = ApacheDavServer.start(
                        source, Files.createDirectories(dir.resolve("httpd")), "ann", "dav-secret");
                Rig rig = new Rig(dir.resolve("rig"), Map.of("webdav", jar("webdav")))) {
            long account = rig.account(
                    "webdav",
                    Map.of("url", server.url().toString(), "username", server.user(), "password", server.password()));
            backUpAndCompare(rig, account, source);
        }
    }

    @Test
    void anSftpBackupFromOpenSshIsByteIdenticalToTheServedTree() throws Exception {
        Path source = source();
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"));
                Rig rig = new Rig(dir.resolve("rig"), Map.of("sftp", jar("sftp")))) {
            long account = rig.account(
                    "sftp",
                    Map.of(
                            "host", server.host(),
                            "port", String.valueOf(server.port()),
                            "username", server.user(),
                            "privateKey", server.clientPrivateKey(),
                            "hostKey", server.hostKeyLine(),
                            "root", source.toAbsolutePath().toString()));
            backUpAndCompare(rig, account, source);
        }
    }

    @Test
    void anS3BackupFromS3proxyIsByteIdenticalToTheStoredObjects() throws Exception {
        Path source = source();
        try (S3ProxyServer server = S3ProxyServer.start(
                        dir.resolve("s3proxy"), S3ProxyServer.Backend.FILESYSTEM, "ann", "s3-secret");
                Rig rig = new Rig(dir.resolve("rig"), Map.of("s3", jar("s3")))) {
            // The filesystem store keeps a bucket as a folder and each object as a file: the tree is
            // copied in as the objects of bucket "photos" under the prefix "ann/".
            copyTree(source, server.dataDir().resolve("photos").resolve("ann"));
            long account = rig.account(
                    "s3",
                    Map.of(
                            "endpoint",
                            server.endpoint().toString(),
                            "region",
                            "us-east-1",
                            "bucket",
                            "photos",
                            "prefix",
                            "ann",
                            "accessKeyId",
                            server.accessKeyId(),
                            "secretAccessKey",
                            server.secretAccessKey()));
            backUpAndCompare(rig, account, source);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void backUpAndCompare(Rig rig, long account, Path source) throws Exception {
        long container = rig.container(account, 16);
        rig.startDevice(Map.of("mode", "PARALLEL", "parallelDownloads", "4"));
        rig.awaitBackedUp(container);
        assertEquals(Trees.files(source).size(), Trees.assertSameFiles(source, rig.folderOf(container)));
        assertEquals(List.of(), Trees.partials(rig.backupRoot));
    }

    static Path jar(String provider) {
        return Path.of(System.getProperty("cloudkeep.provider." + provider + ".jar"));
    }
}
