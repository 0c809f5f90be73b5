package org.cloudkeep.protocol.internal;

import java.util.Map;

/**
 * A request the protocol refuses, with the status, the short error code and a message that says
 * what to do. Unchecked, so that request records can throw it from their constructors.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> extra;
    private final transient Map<String, String> headers;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of(), Map.of());
    }

    ApiException(int status, String code, String message, Map<String, Object> extra, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
        this.headers = Map.copyOf(headers);
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Optional fields of the error body beside {@code error} and {@code message}. */
    Map<String, Object> extra() {
        return extra;
    }

    /** Headers the answer carries, such as {@code Allow} or {@code WWW-Authenticate}. */
    Map<String, String> headers() {
        return headers;
    }
}
