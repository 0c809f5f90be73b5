package org.cloudkeep.provider.webdav;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;

/**
 * One {@code GET} of a file, read by the calling thread straight from its socket.
 *
 * <p>Downloads do not go through the session's {@code java.net.http.HttpClient}: that client reads
 * every response on its selector thread and hands each chunk of the body to the reading thread, a
 * wake-up on both sides per 16 KiB. Measured over a loopback Apache (docs/benchmarks.md), those
 * hand-offs cost the device about as much CPU as the fetch workers' own Java code. A blocking {@link
 * HttpURLConnection} reads into the caller's buffer; its connections are kept alive and reused by
 * the JDK's keep-alive cache. Listings keep the HttpClient: they are few and small.
 */
final class Download {

    /** Never asks anyone for a password: the request carries its own Authorization header. */
    private static final Authenticator NO_AUTHENTICATOR = new Authenticator() {};

    private final HttpURLConnection connection;
    private final int status;

    private Download(HttpURLConnection connection, int status) {
        this.connection = connection;
        this.status = status;
    }

    /**
     * Sends the request and waits for the answer's headers. {@code range} is a {@code Range} header
     * value or {@code null}. The socket's read time-out bounds the wait for the headers and then for
     * each read of the body.
     */
    static Download get(URI url, String authorization, String range, WebDavSettings settings, String what)
            throws ProviderException {
        HttpURLConnection connection;
        try {
            // No proxy, as the session's HttpClient: the URL the person entered is the server spoken to.
            connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException | IllegalArgumentException e) {
            throw new TransientProviderException("Cannot prepare the " + what + " from " + url + ": " + e, e);
        }
        connection.setConnectTimeout(millis(settings.connectTimeout().toMillis()));
        connection.setReadTimeout(millis(settings.readTimeout().toMillis()));
        // Never follow: a redirect could carry the password to another server.
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setAuthenticator(NO_AUTHENTICATOR);
        connection.setRequestProperty("Authorization", authorization);
        connection.setRequestProperty("User-Agent", "CloudKeep-WebDAV");
        if (range != null) {
            connection.setRequestProperty("Range", range);
        }
        try {
            return new Download(connection, connection.getResponseCode());
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            throw new TransientProviderException("The WebDAV server did not answer the " + what + " in time", e);
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw new TransientProviderException(
                    "Cannot reach the WebDAV server " + url.getHost() + " for the " + what + ": " + e, e);
        }
    }

    int status() {
        return status;
    }

    /** The answer's headers, for the error mapping shared with the other requests. */
    HttpHeaders headers() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) { // the status line comes under null
                fields.put(name, values);
            }
        });
        return HttpHeaders.of(fields, (name, value) -> true);
    }

    String header(String name) {
        String value = connection.getHeaderField(name);
        return value == null ? "" : value;
    }

    /**
     * The body of a 2xx answer. Read to its end, the connection goes back to the keep-alive cache;
     * closed before, the connection is dropped rather than drained. A body that ends before its
     * {@code Content-Length} is an {@link IOException}, as a broken connection: the JDK's stream
     * would just end, and a short file must not look like a whole one.
     */
    InputStream body(String what) throws ProviderException {
        InputStream in;
        try {
            in = connection.getInputStream();
        } catch (IOException e) {
            abandon();
            throw new TransientProviderException("The connection broke at the start of the " + what + ": " + e, e);
        }
        long declared = connection.getContentLengthLong();
        return new FilterInputStream(in) {
            private long received;
            private boolean ended;

            @Override
            public int read() throws IOException {
                int b = super.read();
                counted(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return counted(super.read(bytes, offset, length));
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                received += skipped;
                return skipped;
            }

            private int counted(int n) throws IOException {
                if (n > 0) {
                    received += n;
                } else if (n < 0 && !ended) {
                    ended = true;
                    if (declared >= 0 && received < declared) {
                        abandon();
                        throw new IOException(
                                "the server ended the " + what + " after " + received + " of " + declared + " bytes");
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                if (ended) {
                    super.close();
                } else {
                    abandon();
                }
            }
        };
    }

    /** Drops the connection: whatever the server still sends is not waited for. */
    void abandon() {
        connection.disconnect();
    }

    private static int millis(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
