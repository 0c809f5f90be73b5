package org.cloudkeep.backupfolder;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.ContentHasher;
import org.cloudkeep.backupfolder.internal.Target;

/**
 * One download in progress. Not thread-safe. close() keeps the staging file (for resume); commit()
 * or discard() end it. Bytes only reach the final name through commit()'s atomic rename.
 */
public final class Incoming implements Closeable {

    private static final int BUFFER = 64 * 1024;

    private final BackupFolder folder;
    private final Target target;
    private final Path staging;
    private final long size;
    private final Instant modified;
    private final ContentHash hash;
    private final Hashers hashers;
    private final boolean checked; // false: size only

    private FileChannel channel;
    private ContentHasher digest;
    private long length;
    private boolean ended;

    Incoming(
            BackupFolder folder,
            Target target,
            Path staging,
            long size,
            Instant modified,
            ContentHash hash,
            Hashers hashers) {
        this.folder = folder;
        this.target = target;
        this.staging = staging;
        this.size = size;
        this.modified = modified;
        this.hash = hash;
        this.hashers = hashers;
        this.checked = hasher() != null;
    }

    /**
     * Prepares to continue: trims the staging file to at most durableOffset bytes (what the caller
     * recorded at its last checkpoint; 0 = start afresh, also when the file is missing), re-reads
     * the kept bytes into the digest, and returns how many bytes are kept — the offset to ask the
     * provider for. Never more than the expected size.
     */
    public long resume(long durableOffset) throws IOException {
        checkOpen();
        if (channel == null) {
            channel = FileChannel.open(
                    staging,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        }
        // Bytes past the last checkpoint may not have reached the disk intact: drop them.
        long keep = Math.max(0, Math.min(Math.min(durableOffset, channel.size()), size));
        channel.truncate(keep);
        digest = hasher();
        if (digest != null) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            for (long position = 0; position < keep; ) {
                buffer.clear().limit((int) Math.min(BUFFER, keep - position));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException("the staging file " + staging + " shrank while it was read");
                }
                digest.update(buffer.array(), 0, n);
                position += n;
            }
        }
        channel.position(keep);
        length = keep;
        return keep;
    }

    /**
     * Appends the stream to the staging file until it ends. Every checkpointBytes bytes it forces
     * the data to disk and then calls checkpoint.accept(bytesDurableNow). More bytes than the
     * expected size is a VerificationException (the staging file is deleted). Returns the bytes in
     * the staging file. Without a resume() before, starts afresh.
     */
    public long append(InputStream in, long checkpointBytes, LongConsumer checkpoint) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (checkpointBytes <= 0) {
            throw new IllegalArgumentException("checkpointBytes must be positive: " + checkpointBytes);
        }
        if (channel == null) {
            resume(0);
        }
        checkOpen();
        byte[] buffer = new byte[BUFFER];
        long sinceCheckpoint = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (length + n > size) {
                throw reject("more bytes than the expected " + size);
            }
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
            length += n;
            sinceCheckpoint += n;
            if (sinceCheckpoint >= checkpointBytes) {
                channel.force(false);
                sinceCheckpoint = 0;
                checkpoint.accept(length);
            }
        }
        return length;
    }

    /**
     * Forces to disk, verifies size (and hash when its algorithm has a hasher) — on
     * mismatch deletes the staging file and throws VerificationException saying expected vs actual
     * — sets the last-modified time, moves a different file (or folder) at the final name to the
     * versions area and atomically renames the staging file to the final name. If an identical file
     * is already there, the staging file is deleted and the existing one kept.
     */
    public Placed commit() throws IOException {
        if (channel == null) {
            resume(0); // an empty file needs no append
        }
        checkOpen();
        long actual = channel.size();
        if (actual != size) {
            throw reject("expected " + size + " bytes, got " + actual);
        }
        if (digest != null) {
            String got = digest.finish().value();
            if (!got.equalsIgnoreCase(hash.value())) {
                throw reject(hash.algorithm() + " expected " + hash.value() + ", got " + got);
            }
        }
        if (modified != null) {
            Files.setLastModifiedTime(staging, FileTime.from(modified));
        }
        channel.force(true); // data and the time just set
        closeChannel();
        ended = true;
        return folder.place(target, staging, size, modified, hash, hashers, verifiedWith());
    }

    /** Deletes the staging file. */
    public void discard() throws IOException {
        ended = true;
        closeChannel();
        Files.deleteIfExists(staging);
    }

    /** Keeps the staging file for a later resume. */
    @Override
    public void close() throws IOException {
        closeChannel();
    }

    /** The expected size. */
    public long size() {
        return size;
    }

    /** The hash algorithm when the hash is checked ("sha256", "dropbox-content-hash", ...), else "size". */
    public String verifiedWith() {
        return checked ? hash.algorithm() : "size";
    }

    /** A fresh hasher for the entry's hash, or null when there is none or its algorithm is unknown. */
    private ContentHasher hasher() {
        return hash == null ? null : hashers.hasher(hash.algorithm());
    }

    /** The staging file (it may not exist yet). */
    public Path stagingFile() {
        return staging;
    }

    private VerificationException reject(String what) throws IOException {
        discard();
        return new VerificationException(target.providerPath() + ": " + what);
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("this download of " + target.providerPath() + " has ended");
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }
}
