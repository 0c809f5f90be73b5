package org.cloudkeep.protocol.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Reads request bodies strictly and writes answers. A body must be declared {@code
 * application/json} (UTF-8), be at most {@code maxBodyBytes} long (checked against Content-Length
 * and counted while reading, so a chunked body cannot get around it), and map onto its record
 * exactly: unknown fields, duplicate fields, wrong types, floats for whole numbers, strings for
 * numbers (and the other way round), {@code null} for a number and trailing content are all
 * refused. Jackson's exceptions are passed on; {@link Errors} turns them into 400 answers.
 */
final class Json {

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    Json(long maxBodyBytes) {
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 16));
        }
        this.maxBodyBytes = maxBodyBytes;
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
        // A number or a boolean where a string belongs is a mistake, not something to convert.
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Map).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        this.mapper = mapper;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Reads a request's body as a value of the given type.
     *
     * @throws ApiException 415 when the body is not declared JSON in UTF-8, 413 when it is too large
     * @throws IOException Jackson's exceptions for a body that does not map (see {@link Errors})
     */
    <T> T read(ApiRequest request, Class<T> type) throws IOException {
        requireJson(request.header("Content-Type"));
        long declared = request.contentLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.body()) {
            body = in.readNBytes((int) maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return mapper.readValue(body, type);
    }

    /** Writes a value as JSON; leaves the stream open. */
    void write(OutputStream out, Object value) throws IOException {
        mapper.writeValue(out, value);
    }

    /** The value as a JSON string, for tests and logs. */
    String toJson(Object value) throws IOException {
        return mapper.writeValueAsString(value);
    }

    private ApiException tooLarge() {
        return new ApiException(
                413,
                "body_too_large",
                "the body is larger than " + maxBodyBytes + " bytes; send less at once (report fetched paths in "
                        + "batches)");
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("the body needs Content-Type: application/json");
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            throw unsupported(
                    "the body must be JSON, sent with Content-Type: application/json, not " + parts[0].strip());
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw unsupported("the body must be UTF-8, not " + charset);
                }
            }
        }
    }

    private static ApiException unsupported(String message) {
        return new ApiException(415, "unsupported_media_type", message);
    }
}
