package org.cloudkeep.protocol.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: status, the value written as JSON (none for 204) and headers. Every answer carries
 * {@code Content-Type: application/json; charset=utf-8} and {@code Cache-Control: no-store}.
 *
 * @param status the HTTP status
 * @param body the value to write as JSON, or {@code null} for no body
 * @param headers every header to send, the standard ones included
 */
record ApiResponse(int status, Object body, Map<String, String> headers) {

    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    ApiResponse {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", CONTENT_TYPE);
        all.put("Cache-Control", "no-store");
        all.put("X-Content-Type-Options", "nosniff");
        all.putAll(headers);
        headers = Map.copyOf(all);
    }

    static ApiResponse of(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
