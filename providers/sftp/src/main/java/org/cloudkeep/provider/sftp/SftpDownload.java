package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.ChannelSftp;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's content from an offset, read over an SFTP channel of its own, which closing the stream
 * closes. Each read is watched: a server that sends nothing for the operation time-out gets its
 * channel dropped, so the read fails instead of hanging.
 */
final class SftpDownload extends InputStream {

    private final InputStream in;
    private final ChannelSftp channel;
    private final Watchdog watchdog;
    private final String path;
    private boolean closed;

    SftpDownload(InputStream in, ChannelSftp channel, Watchdog watchdog, String path) {
        this.in = in;
        this.channel = channel;
        this.watchdog = watchdog;
        this.path = path;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the download of " + Failures.quote(path) + " was closed");
        }
        if (length == 0) {
            return 0;
        }
        try (Watchdog.Guard guard = watchdog.arm(channel::disconnect)) {
            try {
                int n;
                // JSch returns 0 when the server answers out of order; the watchdog bounds this loop.
                do {
                    n = in.read(buffer, offset, length);
                } while (n == 0);
                return n;
            } catch (IOException | RuntimeException e) {
                throw Failures.ofRead(e instanceof IOException io ? io : new IOException(e), path, guard.fired());
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // Closing sends the server a CLOSE and waits for its answer: watched too, and the channel goes regardless.
        try (Watchdog.Guard guard = watchdog.arm(channel::disconnect)) {
            in.close();
        } catch (IOException | RuntimeException e) {
            // The file was only read: a failed close loses nothing.
        } finally {
            channel.disconnect();
        }
    }
}
