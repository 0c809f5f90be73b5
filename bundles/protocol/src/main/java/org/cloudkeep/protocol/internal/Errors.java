package org.cloudkeep.protocol.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.groups.InactiveDeviceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into an answer {@code {"error": code, "message": what to do}}
 * with the right status. Refusals the caller can fix are 4xx and are not logged; a database that
 * is busy or gone is 503 with {@code Retry-After}; anything else is a bug: 500, logged with a
 * reference that the message repeats, and neither a stack trace nor an exception's message in the
 * body.
 */
final class Errors {

    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    private static final SecureRandom REFERENCES = new SecureRandom();

    private Errors() {}

    /** The answer to a request that failed with {@code failure}. */
    static ApiResponse toResponse(Throwable failure, ApiRequest request) {
        ApiException refusal = refusal(failure);
        if (refusal != null) {
            return answer(refusal);
        }
        if (isUnavailable(failure)) {
            LOG.warn(
                    "{} /api/v1{} answered 503: the database is busy or unavailable: {}",
                    request.method(),
                    request.path(),
                    failure.toString());
            return answer(new ApiException(
                    503,
                    "unavailable",
                    "the server is busy or its database is unavailable; retry in a few seconds",
                    Map.of(),
                    Map.of("Retry-After", RETRY_AFTER_SECONDS)));
        }
        String reference = reference();
        LOG.error("{} /api/v1{} failed (reference {})", request.method(), request.path(), reference, failure);
        return answer(new ApiException(
                500,
                "internal_error",
                "the server failed on this request; this is a bug. Reference " + reference
                        + " identifies it in the server log"));
    }

    /** The refusal a failure stands for, or {@code null} when it is not the caller's to fix. */
    static ApiException refusal(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof AccountsException accounts) {
            return fromAccounts(accounts);
        }
        if (failure instanceof InactiveDeviceException inactive) {
            return new ApiException(
                    409,
                    "inactive",
                    inactive.getMessage(),
                    Map.of(
                            "state", inactive.status().state(),
                            "recheckSeconds", inactive.status().recheckSeconds()),
                    Map.of());
        }
        if (failure instanceof JacksonException jackson) {
            return fromJackson(jackson);
        }
        return null;
    }

    static ApiException fromAccounts(AccountsException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), "refused");
        return switch (e.reason()) {
            case INVALID -> ApiException.badRequest("invalid_value", message);
            case UNAUTHORIZED -> new ApiException(401, "unauthorized", message);
            case NOT_FOUND -> ApiException.notFound(message);
            case CONFLICT -> new ApiException(409, "conflict", message);
            case REJECTED -> new ApiException(422, "rejected", message);
        };
    }

    /**
     * What is wrong with a body Jackson could not read, in words that name the field; {@code null}
     * for a failure that is the server's (a record Jackson cannot build at all).
     */
    static ApiException fromJackson(JacksonException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof ApiException api) {
            return api; // a request record refused a value in its constructor
        }
        if (e instanceof InvalidDefinitionException) {
            return null;
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = join(path(unknown), String.valueOf(unknown.getPropertyName()));
            return ApiException.badRequest(
                    "unknown_field", "unknown field '" + field + "'" + known(unknown.getKnownPropertyIds()));
        }
        if (e instanceof StreamConstraintsException) {
            return ApiException.badRequest(
                    "malformed_json", "the body nests too deep or holds a value that is too long");
        }
        if (e instanceof InputCoercionException coercion) {
            return ApiException.badRequest("invalid_value", "a number is out of range" + at(coercion.getLocation()));
        }
        if (e instanceof StreamReadException read) {
            return ApiException.badRequest(
                    "malformed_json",
                    "the body is not valid JSON" + at(read.getLocation()) + ": " + plain(read.getOriginalMessage()));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            String message = Objects.requireNonNullElse(mismatch.getOriginalMessage(), "");
            if (field.isEmpty()) {
                if (message.startsWith("No content to map")) {
                    return ApiException.badRequest("malformed_json", "the body is empty; send a JSON object");
                }
                if (message.startsWith("Trailing token")) {
                    return ApiException.badRequest(
                            "malformed_json", "the body must hold one JSON object and nothing after it");
                }
                return ApiException.badRequest("malformed_json", "the body must be a JSON object");
            }
            String wanted = describe(mismatch.getTargetType());
            String found = message.contains("`null`") || message.contains("null value") ? ", not null" : "";
            return ApiException.badRequest("wrong_type", "field '" + field + "' must be " + wanted + found);
        }
        if (e instanceof JsonMappingException mapping) {
            String field = path(mapping);
            if (mapping.getCause() instanceof InputCoercionException && !field.isEmpty()) {
                return ApiException.badRequest("invalid_value", "field '" + field + "' is out of range");
            }
            return ApiException.badRequest(
                    "invalid_value",
                    field.isEmpty() ? "the body does not fit this call" : "field '" + field + "' is not valid");
        }
        return ApiException.badRequest("malformed_json", "the body could not be read as JSON");
    }

    /** A database failure that retrying may cure: a lock time-out, a deadlock, a lost connection. */
    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 40: transaction rolled back (Derby's lock time-out 40XL1, deadlock 40001); 08: connection.
                if (state != null && (state.startsWith("40") || state.startsWith("08"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ApiResponse answer(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.putAll(e.extra());
        return new ApiResponse(e.status(), body, e.headers());
    }

    /** The JSON path of a mapping failure: {@code credentials.token}, {@code fetched[2]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        List<JsonMappingException.Reference> references = e.getPath();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The path of the object an unknown field was found in, joined with the field's name. */
    private static String join(String objectPath, String field) {
        // Jackson's path of an unknown property already ends with the property itself.
        if (objectPath.equals(field) || objectPath.endsWith("." + field)) {
            return objectPath;
        }
        return objectPath.isEmpty() ? field : objectPath + "." + field;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return "; the fields here are " + String.join(", ", names);
    }

    /** Jackson's words without its notes on where the source was, which name its own settings. */
    private static String plain(String message) {
        if (message == null) {
            return "unreadable";
        }
        String plain = message.replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                .replaceAll("\\s*\\[Source:.*?\\]", "");
        return plain.length() > 200 ? plain.substring(0, 200) + "..." : plain;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == String.class || type == char[].class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String reference() {
        byte[] bytes = new byte[6];
        REFERENCES.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
