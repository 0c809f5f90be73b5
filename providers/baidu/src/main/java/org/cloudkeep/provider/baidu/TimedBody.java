package org.cloudkeep.provider.baidu;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
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
 * A response body as a stream whose every read waits at most a read timeout for the next bytes.
 * The JDK client's own timeout ends when the headers arrive, so a server that stalls in the middle
 * of a body would otherwise block a reader for ever. One part of the body is requested at a time,
 * so memory stays bounded however large the body is.
 */
final class TimedBody extends InputStream implements HttpResponse.BodySubscriber<TimedBody> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final Duration readTimeout;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean ended;

    TimedBody(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public CompletionStage<TimedBody> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        subscription = given;
        if (closed) {
            given.cancel();
        } else {
            given.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrivals.add(item);
    }

    @Override
    public void onError(Throwable error) {
        arrivals.add(error);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("the response body was closed");
        }
        if (length == 0) {
            return 0;
        }
        ByteBuffer buffer = next();
        if (buffer == null) {
            return -1;
        }
        int count = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, count);
        return count;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription given = subscription;
            if (given != null) {
                given.cancel();
            }
        }
    }

    /** The buffer holding the next bytes; {@code null} at the end of the body. */
    private ByteBuffer next() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return null;
            }
            Object arrival;
            try {
                arrival = arrivals.poll(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the server");
            }
            if (arrival == null) {
                close();
                throw new SocketTimeoutException(
                        "the server sent nothing for " + readTimeout.toSeconds() + " s in the middle of its answer");
            }
            if (arrival == END) {
                ended = true;
                return null;
            }
            if (arrival instanceof Throwable error) {
                ended = true;
                throw new IOException("the answer was cut short: " + error.getMessage(), error);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> parts = (List<ByteBuffer>) arrival;
            buffers = parts.iterator();
            current = null;
            subscription.request(1);
        }
        return current;
    }

    /** The first bytes of the body, at most a limit (enough to read an error); closes the body. */
    byte[] readUpTo(int limit) throws IOException {
        try (this) {
            return readNBytes(limit);
        }
    }

    /** Reads the whole body, refusing one longer than a limit; closes the body. */
    byte[] readAll(int limit) throws IOException {
        try (this) {
            byte[] bytes = readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException("the answer is longer than " + limit + " bytes");
            }
            return bytes;
        }
    }
}
