package org.cloudkeep.api.http;

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
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body as an {@link InputStream} whose reads give up after a time-out. The JDK's own
 * {@code BodyHandlers.ofInputStream()} waits for the next bytes forever, so a server that stops
 * sending in the middle of a body would hang a listing or a download. At most two chunks are
 * buffered: the next one is requested only when the stream has taken the one before.
 */
public final class TimedBody implements HttpResponse.BodySubscriber<InputStream> {

    private static final Object END = new Object();

    private final Duration readTimeout;
    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final Body body = new Body();

    private TimedBody(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** A body handler whose bodies give up when the server sends nothing for {@code readTimeout}. */
    public static HttpResponse.BodyHandler<InputStream> handler(Duration readTimeout) {
        Objects.requireNonNull(readTimeout, "readTimeout");
        return info -> new TimedBody(readTimeout);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (subscription.compareAndSet(null, s)) {
            s.request(1);
        } else {
            s.cancel();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        chunks.add(item);
    }

    @Override
    public void onError(Throwable error) {
        chunks.add(error);
    }

    @Override
    public void onComplete() {
        chunks.add(END);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(body);
    }

    private final class Body extends InputStream {

        private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
        private ByteBuffer current;
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            ByteBuffer buffer = current();
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

        /** The buffer with bytes left, waiting at most the read time-out for one; {@code null} at the end. */
        private ByteBuffer current() throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            while (current == null || !current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (ended) {
                    return null;
                }
                Object chunk;
                try {
                    chunk = chunks.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new InterruptedIOException("interrupted while waiting for the server");
                }
                if (chunk == null) {
                    close();
                    throw new SocketTimeoutException("the server sent nothing for " + readTimeout.toMillis()
                            + " ms in the middle of a response");
                }
                if (chunk == END) {
                    ended = true;
                    return null;
                }
                if (chunk instanceof Throwable error) {
                    ended = true;
                    throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) chunk;
                buffers = list.iterator();
                subscription.get().request(1);
            }
            return current;
        }

        /** Abandons the rest of the body: the connection is dropped, not drained. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Flow.Subscription s = subscription.get();
            if (s != null && !ended) {
                s.cancel();
            }
            chunks.clear();
        }
    }
}
