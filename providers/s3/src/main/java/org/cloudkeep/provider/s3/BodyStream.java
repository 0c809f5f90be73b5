package org.cloudkeep.provider.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads fail after a silence longer than the read timeout. The
 * JDK's own {@code ofInputStream()} blocks for ever on a server that stops sending, and turns a cancelled body into a
 * clean end of stream; this one asks for one buffer list at a time (memory stays bounded) and reports both as errors.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

    /** What the queue carries: data, the end, or a failure. */
    private sealed interface Signal {}

    private record Data(List<ByteBuffer> buffers) implements Signal {}

    private record End() implements Signal {}

    private record Failure(Throwable error) implements Signal {}

    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
    private final long timeoutNanos;
    private final String what;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean ended;
    private IOException failed;
    private boolean closed;

    /** @param what the request, named in a time-out message */
    BodyStream(Duration readTimeout, String what) {
        this.timeoutNanos = readTimeout.toNanos();
        this.what = what;
    }

    /** A body handler that hands each response body over as a new stream. */
    static HttpResponse.BodyHandler<InputStream> handler(Duration readTimeout, String what) {
        return info -> new BodyStream(readTimeout, what);
    }

    /** Closes a body; a body is only read from, so a failing close loses nothing. */
    static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // nothing to lose
        }
    }

    // --- the subscriber side, called by the HTTP client

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(new Data(item));
    }

    @Override
    public void onError(Throwable error) {
        queue.add(new Failure(error));
    }

    @Override
    public void onComplete() {
        queue.add(new End());
    }

    // --- the stream side, called by whoever reads the body

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("the response body of " + what + " is closed");
        }
        if (length == 0) {
            return 0;
        }
        ByteBuffer buffer = nextBuffer();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.remaining();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null && !ended) {
                s.cancel(); // the connection is dropped rather than drained
            }
        }
    }

    /** The buffer to read from next, or {@code null} at the end of the body. */
    private ByteBuffer nextBuffer() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (failed != null) {
                throw failed; // again on every read, so that a broken body never looks complete
            }
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return null;
            }
            Signal signal;
            try {
                signal = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the response of " + what);
            }
            if (signal == null) {
                close();
                throw new SocketTimeoutException(
                        "the server sent nothing for " + Duration.ofNanos(timeoutNanos) + " while answering " + what);
            }
            if (signal instanceof Data data) {
                buffers = data.buffers().iterator();
                subscription.request(1);
            } else if (signal instanceof Failure failure) {
                ended = true;
                failed = failure.error() instanceof IOException io
                        ? io
                        : new IOException("reading the response of " + what + " failed", failure.error());
            } else {
                ended = true;
            }
        }
        return current;
    }
}
