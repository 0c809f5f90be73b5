package org.cloudkeep.protocol.internal;

import java.io.IOException;
import java.io.InputStream;

/** What the protocol needs of an HTTP request; the servlet adapts its request to it, tests build one. */
interface ApiRequest {

    /** The HTTP method, upper case as sent. */
    String method();

    /** The path below {@code /api/v1}, decoded: {@code "/containers/7"}; empty for {@code /api/v1} itself. */
    String path();

    /** The raw query string, or {@code null}. */
    String query();

    /** A request header, or {@code null}. */
    String header(String name);

    /** The declared Content-Length, or -1 when none was declared (a chunked body). */
    long contentLength();

    /** The body; read at most once. */
    InputStream body() throws IOException;
}
