package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.itests.servers.MinaSftpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MINA server that lies: it reports names a file system cannot hold ({@code ..}, {@code /}, NUL,
 * bytes that are not UTF-8), a file without a type, and folders and files that never answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileServerTest {

    /** Local file name → the name the server reports instead (raw bytes, so that they may be invalid UTF-8). */
    private static final Map<String, byte[]> REPORTED_AS = Map.of(
            "dotdot", utf8(".."),
            "dot", utf8("."),
            "empty", utf8(""),
            "climbs", utf8("../../etc/passwd"),
            "absolute", utf8("/etc/passwd"),
            "nul", utf8("evil\0.txt"),
            "latin1", new byte[] {'c', 'a', 'f', (byte) 0xe9},
            "twin", utf8("good.txt"));

    @TempDir
    static Path served;

    private final CountDownLatch release = new CountDownLatch(1);
    private MinaSftpServer server;
    private SftpProvider provider;

    @BeforeAll
    void start() throws IOException {
        Path names = Files.createDirectories(served.resolve("names"));
        Files.writeString(names.resolve("good.txt"), "good");
        for (String local : REPORTED_AS.keySet()) {
            Files.writeString(names.resolve(local), "hostile " + local);
        }
        Files.writeString(Files.createDirectories(served.resolve("typeless")).resolve("no-type.txt"), "?");
        Files.createDirectories(served.resolve("stall"));
        Files.writeString(served.resolve("stall.bin"), "never sent");
        server = MinaSftpServer.serving(served)
                .password(Accounts.PASSWORD)
                .fileSystemAccessor(new Liar())
                .start();
        provider = new SftpProvider(Accounts.impatient());
    }

    @AfterAll
    void stop() throws IOException {
        release.countDown();
        provider.close();
        server.close();
    }

    @Test
    void namesThatCannotBeProviderPathsAreLeftOut() throws Exception {
        try (ProviderSession session = provider.connect(Accounts.mina(server))) {
            EntryPage page = session.list("/names", null);
            List<String> paths = page.entries().stream().map(Entry::path).toList();
            assertEquals(List.of("/names/good.txt"), paths, "only the name that is what it says");
            assertTrue(page.last());
        }
    }

    @Test
    void anEntryWithoutAFileTypeIsAMalformedAnswer() throws Exception {
        try (ProviderSession session = provider.connect(Accounts.mina(server))) {
            PermanentProviderException malformed =
                    assertThrows(PermanentProviderException.class, () -> session.list("/typeless", null));
            assertTrue(malformed.getMessage().contains("no-type.txt"), malformed.getMessage());
            assertTrue(malformed.getMessage().contains("no file type"), malformed.getMessage());
        }
    }

    @Test
    @Timeout(120)
    void aFolderThatNeverAnswersTimesOutAndTheSessionConnectsAgain() throws Exception {
        try (ProviderSession session = provider.connect(Accounts.mina(server))) {
            TransientProviderException timedOut =
                    assertThrows(TransientProviderException.class, () -> session.list("/stall", null));
            assertTrue(timedOut.getMessage().contains("did not answer in time"), timedOut.getMessage());
            assertTrue(session.stat("/names").directory(), "the next call connects again");
        }
    }

    @Test
    @Timeout(120)
    void aDownloadThatNeverSendsFailsInsteadOfHanging() throws Exception {
        try (ProviderSession session = provider.connect(Accounts.mina(server))) {
            try (InputStream in = session.open("/stall.bin", 0)) {
                IOException timedOut = assertThrows(IOException.class, in::read);
                assertTrue(timedOut.getMessage().contains("sent nothing in time"), timedOut.getMessage());
            }
            assertTrue(session.stat("/names").directory(), "the session itself still works");
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Serves the folder, but reports what the test wants. */
    private final class Liar implements SftpFileSystemAccessor {

        @Override
        public void putRemoteFileName(
                SftpSubsystemProxy subsystem, Path path, Buffer buffer, String name, boolean shortName)
                throws IOException {
            byte[] reported = shortName && name != null ? REPORTED_AS.get(name) : null;
            if (reported != null) {
                buffer.putBytes(reported);
            } else {
                SftpFileSystemAccessor.super.putRemoteFileName(subsystem, path, buffer, name, shortName);
            }
        }

        @Override
        public NavigableMap<String, Object> resolveReportedFileAttributes(
                SftpSubsystemProxy subsystem,
                Path file,
                int flags,
                NavigableMap<String, Object> attrs,
                LinkOption... options)
                throws IOException {
            if (!named(file, "no-type.txt")) {
                return attrs;
            }
            NavigableMap<String, Object> typeless = new TreeMap<>(attrs);
            typeless.remove("permissions");
            typeless.remove("isRegularFile");
            typeless.remove("isDirectory");
            typeless.remove("isSymbolicLink");
            typeless.remove("isOther");
            return typeless;
        }

        @Override
        public DirectoryStream<Path> openDirectory(
                SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir, String handle, LinkOption... options)
                throws IOException {
            if (named(dir, "stall")) {
                hang();
            }
            return SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle, options);
        }

        @Override
        public SeekableByteChannel openFile(
                SftpSubsystemProxy subsystem,
                FileHandle fileHandle,
                Path file,
                String handle,
                Set<? extends OpenOption> options,
                FileAttribute<?>... attrs)
                throws IOException {
            SeekableByteChannel channel =
                    SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
            if (!named(file, "stall.bin")) {
                return channel;
            }
            return new Stalling(channel);
        }

        private static boolean named(Path path, String name) {
            return path.getFileName() != null && path.getFileName().toString().equals(name);
        }

        /** Blocks the server's SFTP thread until the test ends (bounded, so that nothing outlives it). */
        private void hang() {
            try {
                release.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A file whose reads never return until the test ends. */
        private final class Stalling implements SeekableByteChannel {
            private final SeekableByteChannel channel;

            Stalling(SeekableByteChannel channel) {
                this.channel = channel;
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                hang();
                return channel.read(dst);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return channel.write(src);
            }

            @Override
            public long position() throws IOException {
                return channel.position();
            }

            @Override
            public SeekableByteChannel position(long newPosition) throws IOException {
                channel.position(newPosition);
                return this;
            }

            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) throws IOException {
                channel.truncate(size);
                return this;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        }
    }
}
