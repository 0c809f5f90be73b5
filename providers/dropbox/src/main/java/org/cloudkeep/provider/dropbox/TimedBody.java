package org.cloudkeep.provider.dropbox;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body as an {@link InputStream} whose every read waits at most a given time. The JDK client's own
 * request timeout ends when the headers arrive, so without this a server that stalls mid-body would block a
 * download forever. It asks the client for one buffer list at a time, so at most two are held in memory.
 */
final class TimedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

    private static final Object END = new Object();

    private final long timeoutNanos;
    private final Duration timeout;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean closed;
    private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean ended;

    private TimedBody(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A body handler whose bodies are such streams. */
    static HttpResponse.BodyHandler<InputStream> handler(Duration timeout) {
        return info -> new TimedBody(timeout);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.compareAndSet(null, s) || closed) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("the download stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            next();
        }
        int n = Math.min(length, current.remaining());
        current.get(bytes, offset, n);
        return n;
    }

    /** Waits for the next piece of the body: buffers, the end, or the failure. */
    @SuppressWarnings("unchecked")
    private void next() throws IOException {
        Object next;
        try {
            next = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading from Dropbox");
        }
        if (next == null) {
            close();
            throw new SocketTimeoutException("Dropbox sent nothing for " + timeout.toSeconds() + " s");
        }
        if (next == END) {
            ended = true;
        } else if (next instanceof Throwable failure) {
            ended = true;
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        } else {
            buffers = ((List<ByteBuffer>) next).iterator();
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.request(1);
            }
        }
    }

    /** Stops the body; a connection not read to its end is dropped, not reused. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription.getAndSet(null);
        if (s != null && !ended) {
            s.cancel();
        }
        queue.clear();
        buffers = Collections.emptyIterator();
        current = null;
    }
}
