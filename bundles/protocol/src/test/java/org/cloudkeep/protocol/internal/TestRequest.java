package org.cloudkeep.protocol.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A request built by a test: no servlet container needed. */
final class TestRequest implements ApiRequest {

    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];
    private long contentLength = 0;
    private int bodyReads;

    private TestRequest(String method, String pathAndQuery) {
        this.method = method;
        int question = pathAndQuery.indexOf('?');
        this.path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        this.query = question < 0 ? null : pathAndQuery.substring(question + 1);
    }

    static TestRequest get(String path) {
        return new TestRequest("GET", path);
    }

    static TestRequest post(String path) {
        return new TestRequest("POST", path);
    }

    static TestRequest method(String method, String path) {
        return new TestRequest(method, path);
    }

    /** A JSON body with its Content-Length. */
    TestRequest json(String json) {
        return header("Content-Type", "application/json").bytes(json.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A body of these bytes; without a Content-Length it comes as if chunked. */
    TestRequest bytes(byte[] bytes, boolean declareLength) {
        this.body = bytes;
        this.contentLength = declareLength ? bytes.length : -1;
        return this;
    }

    /** A Content-Length that need not be the body's. */
    TestRequest declaredLength(long length) {
        this.contentLength = length;
        return this;
    }

    TestRequest header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    TestRequest bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    int bodyReads() {
        return bodyReads;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public InputStream body() {
        bodyReads++;
        return new ByteArrayInputStream(body);
    }
}
