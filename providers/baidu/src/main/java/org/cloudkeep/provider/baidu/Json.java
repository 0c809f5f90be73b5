package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.cloudkeep.api.PermanentProviderException;

/**
 * Reads Baidu's JSON answers. Every field is checked as it is read, so a malformed answer fails
 * with a {@link PermanentProviderException} naming the field, never with an unchecked exception.
 */
final class Json {

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A whole answer, which must be one JSON object. */
    JsonNode object(byte[] body, String what) throws PermanentProviderException {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new PermanentProviderException(
                    what + ": Baidu's answer is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new PermanentProviderException(what + ": Baidu's answer cannot be read: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new PermanentProviderException(what + ": Baidu's answer is not a JSON object");
        }
        return node;
    }

    /** Like {@link #object}, but {@code null} for anything that is not a JSON object. */
    JsonNode objectOrNull(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode array(JsonNode node, String field, String what) throws PermanentProviderException {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw malformed(what, "no '" + field + "' array");
        }
        return value;
    }

    static String text(JsonNode node, String field, String what) throws PermanentProviderException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed(what, "'" + field + "' is missing or not a string in " + brief(node));
        }
        return value.textValue();
    }

    /** An integer, given as a JSON number or as a string of digits (Baidu uses both). */
    static long number(JsonNode node, String field, String what) throws PermanentProviderException {
        JsonNode value = node.get(field);
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isTextual() && value.textValue().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(value.textValue());
        }
        throw malformed(what, "'" + field + "' is missing or not an integer in " + brief(node));
    }

    /** A yes/no field, given as 0/1 or as a JSON boolean. */
    static boolean flag(JsonNode node, String field, String what) throws PermanentProviderException {
        JsonNode value = node.get(field);
        if (value != null && value.isBoolean()) {
            return value.booleanValue();
        }
        if (value != null && value.isIntegralNumber() && (value.longValue() == 0 || value.longValue() == 1)) {
            return value.longValue() == 1;
        }
        throw malformed(what, "'" + field + "' is missing or neither 0 nor 1 in " + brief(node));
    }

    /** An integer field if present and numeric, else the fallback. */
    static long numberOr(JsonNode node, String field, long fallback) {
        JsonNode value = node.get(field);
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isTextual() && value.textValue().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(value.textValue());
        }
        return fallback;
    }

    /** A text field if present, else empty. */
    static String textOr(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() ? value.asText() : "";
    }

    static PermanentProviderException malformed(String what, String problem) {
        return new PermanentProviderException(what + ": malformed answer from Baidu: " + problem);
    }

    /** A node shortened for a message: a hostile answer must not fill the log. */
    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
