package org.cloudkeep.itests.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Apache httpd with mod_dav / mod_dav_fs serving one folder at {@code /dav/} behind basic auth, as
 * its own process on 127.0.0.1 with a configuration generated into a work folder (no system
 * configuration is read or changed). Started as root, httpd hands requests to {@code www-data}, so
 * the served folder is then opened to others for reading.
 */
public final class ApacheDavServer extends WebDavServer {

    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final List<String> MODULE_NAMES = List.of(
            "mpm_event",
            "authn_core",
            "authn_file",
            "authz_core",
            "authz_user",
            "auth_basic",
            "dav",
            "dav_fs",
            "alias");
    /** Who serves requests when the test runs as root: httpd refuses to do it as root. */
    private static final String RUN_USER = "www-data";

    private static final String RUN_GROUP = "nogroup";

    private ApacheDavServer(LoopbackProcess process, String user, String password) {
        super(process, user, password, "/dav/");
    }

    /**
     * Starts httpd serving {@code folder}, which the test fills directly.
     *
     * @param workDir an empty folder for the configuration, password file, lock database and logs
     */
    public static ApacheDavServer start(Path folder, Path workDir, String user, String password) throws IOException {
        if (user.contains(":") || user.contains("\n")) {
            throw new IllegalArgumentException("an htpasswd user name holds no ':' or newline: " + user);
        }
        Path httpd = LoopbackProcess.program("apache2", "apache2");
        Path served = folder.toRealPath();
        Path work = workDir.toRealPath();
        boolean root = runningAsRoot();
        Path lock = Files.createDirectories(work.resolve("lock"));
        if (root) {
            // Children run as www-data: they must reach the served folder and write the lock database.
            openForReading(served);
            openForReading(work);
            UserPrincipalLookupService users = work.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(lock, users.lookupPrincipalByName(RUN_USER));
        }
        Path passwords = work.resolve("htpasswd");
        Files.writeString(passwords, user + ":{SHA}" + sha1Base64(password) + "\n", StandardCharsets.UTF_8);
        int port = LoopbackProcess.freePort();
        Path config = work.resolve("httpd.conf");
        Files.writeString(config, config(port, served, work, lock, passwords, root), StandardCharsets.UTF_8);
        LoopbackProcess process = LoopbackProcess.start(
                "apache2 (mod_dav)",
                List.of(httpd.toString(), "-DFOREGROUND", "-f", config.toString()),
                work,
                work.resolve("apache2.log"),
                port,
                Duration.ofSeconds(30));
        return new ApacheDavServer(process, user, password);
    }

    private static String config(int port, Path served, Path work, Path lock, Path passwords, boolean root) {
        for (Path path : List.of(served, work)) {
            if (path.toString().contains("\"") || path.toString().contains("\n")) {
                throw new IllegalArgumentException("httpd cannot quote the path " + path);
            }
        }
        StringBuilder conf = new StringBuilder();
        conf.append("ServerRoot \"").append(work).append("\"\n");
        conf.append("Listen 127.0.0.1:").append(port).append('\n');
        conf.append("ServerName 127.0.0.1\n");
        conf.append("PidFile \"").append(work.resolve("httpd.pid")).append("\"\n");
        conf.append("ErrorLog \"").append(work.resolve("error.log")).append("\"\n");
        conf.append("LogLevel warn\n");
        for (String module : MODULE_NAMES) {
            conf.append("LoadModule ")
                    .append(module)
                    .append("_module \"")
                    .append(MODULES.resolve("mod_" + module + ".so"))
                    .append("\"\n");
        }
        if (root) {
            conf.append("User ").append(RUN_USER).append('\n');
            conf.append("Group ").append(RUN_GROUP).append('\n');
        }
        conf.append("DavLockDB \"").append(lock.resolve("DavLock")).append("\"\n");
        // DavDepthInfinity stays off (the default), as on most servers: clients list folder by folder.
        conf.append("Alias /dav \"").append(served).append("\"\n");
        conf.append("<Directory \"").append(served).append("\">\n");
        conf.append("  Dav On\n");
        conf.append("  AuthType Basic\n");
        conf.append("  AuthName \"cloudkeep test\"\n");
        conf.append("  AuthBasicProvider file\n");
        conf.append("  AuthUserFile \"").append(passwords).append("\"\n");
        conf.append("  Require valid-user\n");
        conf.append("</Directory>\n");
        return conf.toString();
    }

    private static boolean runningAsRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** Lets others read a folder and pass through every folder above it. */
    private static void openForReading(Path folder) throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path up = folder.getParent(); up != null; up = up.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(up);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(up + " is closed to others, so httpd (running as " + RUN_USER + ") cannot reach "
                        + folder + "; serve a folder under /tmp");
            }
        }
    }

    private static String sha1Base64(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
