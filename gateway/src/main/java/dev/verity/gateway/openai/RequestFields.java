package dev.verity.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A request's JSON object and typed access to its fields, refusing what OpenAI refuses with OpenAI's wording and
 * codes. A field set to {@code null} counts as absent, as in OpenAI's API; fields nobody asks for are ignored.
 */
public final class RequestFields {
    private final ObjectNode body;

    private RequestFields(ObjectNode body) {
        this.body = body;
    }

    /** Reads a request body: strict UTF-8, then one JSON object. */
    public static RequestFields parse(byte[] bytes, ObjectMapper json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw OpenAiException.invalid(null, "invalid_encoding", "The request body is not valid UTF-8; send JSON "
                    + "encoded as UTF-8.");
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw OpenAiException.invalid(null, "invalid_json", "We could not parse the JSON body of your request: "
                    + e.getOriginalMessage() + ". Send one JSON object, with Content-Type: application/json.");
        }
        if (node == null || node.isMissingNode()) {
            throw OpenAiException.invalid(null, "invalid_json", "The request body is empty; send one JSON object, "
                    + "with Content-Type: application/json.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw OpenAiException.invalid(null, "invalid_type", "The request body must be a JSON object, but got "
                    + describe(node) + " instead.");
        }
        return new RequestFields(object);
    }

    /** The field's value; null when absent or JSON null. */
    public JsonNode get(String name) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? null : v;
    }

    public String requiredString(String name) {
        JsonNode v = get(name);
        if (v == null) {
            throw OpenAiException.invalid(name, "missing_required_parameter", "Missing required parameter: '" + name + "'.");
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.asText();
    }

    public Optional<Boolean> bool(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean", v);
        }
        return Optional.of(v.booleanValue());
    }

    /** A number in {@code [min, max]}, or {@code (min, max]} when {@code minExclusive}. */
    public OptionalDouble decimal(String name, double min, boolean minExclusive, double max) {
        JsonNode v = get(name);
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number", v);
        }
        double d = v.doubleValue();
        if (minExclusive ? !(d > min) : !(d >= min)) {
            throw outOfRange(name, "decimal below minimum value", (minExclusive ? "> " : ">= ") + plain(min), v);
        }
        if (!(d <= max)) {
            throw outOfRange(name, "decimal above maximum value", "<= " + plain(max), v);
        }
        return OptionalDouble.of(d);
    }

    /** An integer in {@code [min, max]}. */
    public OptionalLong integer(String name, long min, long max) {
        JsonNode v = get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(integerValue(name, v, min, max));
    }

    /** {@code v} as an integer in {@code [min, max]}, or the error for {@code param}. */
    public static long integerValue(String param, JsonNode v, long min, long max) {
        if (!v.isIntegralNumber()) {
            throw wrongType(param, "an integer", v);
        }
        BigInteger value = v.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw outOfRange(param, "integer below minimum value", ">= " + min, v);
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw outOfRange(param, "integer above maximum value", "<= " + max, v);
        }
        return value.longValue();
    }

    /** A string, or an array of at most {@code maxItems} strings (OpenAI's {@code stop}); empty when absent. */
    public List<String> stringOrArray(String name, int maxItems) {
        JsonNode v = get(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            if (v.size() > maxItems) {
                throw OpenAiException.invalid(name, "array_above_max_length", "Invalid '" + name + "': array too long. "
                        + "Expected an array with maximum length " + maxItems + ", but got an array with length " + v.size()
                        + " instead.");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isTextual()) {
                    throw wrongType(name + "[" + i + "]", "a string", item);
                }
                out.add(item.asText());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", v);
        }
        return out;
    }

    /** OpenAI's wording for a value of the wrong JSON type. */
    public static OpenAiException wrongType(String param, String expected, JsonNode got) {
        return OpenAiException.invalid(param, "invalid_type", "Invalid type for '" + param + "': expected " + expected
                + ", but got " + describe(got) + " instead.");
    }

    private static OpenAiException outOfRange(String param, String what, String bound, JsonNode got) {
        String code = what.replace(' ', '_').replace("imum", "");
        return OpenAiException.invalid(param, code, "Invalid '" + param + "': " + what + ". Expected a value " + bound
                + ", but got " + got.asText() + " instead.");
    }

    /** How OpenAI names a JSON value's type in its messages. */
    public static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isIntegralNumber()) {
            return "an integer";
        }
        if (v.isNumber()) {
            return "a decimal number";
        }
        if (v.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
