package org.cloudkeep.itests.servers;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * s3proxy (the jar-with-dependencies) as its own process on 127.0.0.1, checking AWS signatures (v2
 * and v4) against one access key. Buckets are created through the S3 API (CreateBucket).
 *
 * <p>The jar stays off the test class path (its own Jetty, Guava and jclouds would clash with the
 * test's): a module that uses this server copies {@code org.gaul:s3proxy:jar-with-dependencies}
 * with maven-dependency-plugin and names it in the system property {@value #JAR_PROPERTY}.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The system property holding the path of s3proxy's jar-with-dependencies. */
    public static final String JAR_PROPERTY = "cloudkeep.s3proxy.jar";

    /** Where s3proxy keeps the objects. */
    public enum Backend {
        /**
         * jclouds' filesystem store: a bucket is a folder under {@link #dataDir()}, an object a
         * file. It writes each object through a temporary file named {@code <name>-<uuid>}, so a
         * name longer than about 200 bytes fails with "File name too long".
         */
        FILESYSTEM("filesystem"),
        /** s3proxy's in-memory store: any key S3 allows, gone when the process stops. */
        TRANSIENT("transient-nio2");

        private final String provider;

        Backend(String provider) {
            this.provider = provider;
        }
    }

    private final LoopbackProcess process;
    private final Path dataDir;
    private final String accessKeyId;
    private final String secretAccessKey;

    private S3ProxyServer(LoopbackProcess process, Path dataDir, String accessKeyId, String secretAccessKey) {
        this.process = process;
        this.dataDir = dataDir;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Starts s3proxy from the jar named by {@value #JAR_PROPERTY}. */
    public static S3ProxyServer start(Path workDir, Backend backend, String accessKeyId, String secretAccessKey)
            throws IOException {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("the system property " + JAR_PROPERTY + " does not name s3proxy's jar;"
                    + " copy org.gaul:s3proxy:jar-with-dependencies with maven-dependency-plugin and pass its path"
                    + " to Surefire (see providers/s3/pom.xml)");
        }
        return start(Path.of(jar), workDir, backend, accessKeyId, secretAccessKey);
    }

    /**
     * Starts s3proxy.
     *
     * @param workDir a folder for the properties, the log and the data ({@code workDir/data})
     */
    public static S3ProxyServer start(
            Path jar, Path workDir, Backend backend, String accessKeyId, String secretAccessKey) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no s3proxy jar at " + jar + "; build the module with Maven first (it copies it)");
        }
        Path work = workDir.toAbsolutePath();
        Path data = Files.createDirectories(work.resolve("data"));
        int port = LoopbackProcess.freePort();
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", accessKeyId);
        properties.setProperty("s3proxy.credential", secretAccessKey);
        properties.setProperty("jclouds.provider", backend.provider);
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        Path file = work.resolve("s3proxy.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by " + S3ProxyServer.class.getName());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        LoopbackProcess process = LoopbackProcess.start(
                "s3proxy",
                List.of(
                        // The filesystem back end stores keys as file names: without a UTF-8 locale the JVM
                        // would turn non-ASCII names into '?'.
                        "/usr/bin/env",
                        "LC_ALL=C.UTF-8",
                        java.toString(),
                        "-Xmx512m",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--properties",
                        file.toString()),
                work,
                work.resolve("s3proxy.log"),
                port,
                Duration.ofSeconds(60));
        return new S3ProxyServer(process, data, accessKeyId, secretAccessKey);
    }

    /** The service endpoint for path-style requests: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + process.port());
    }

    /** The folder holding one folder per bucket, with {@link Backend#FILESYSTEM}. */
    public Path dataDir() {
        return dataDir;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    public LoopbackProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "s3proxy on " + endpoint() + " serving " + dataDir;
    }
}
