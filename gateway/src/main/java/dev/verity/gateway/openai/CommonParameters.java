package dev.verity.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** The parameters chat and legacy completions share, read as OpenAI reads them. */
final class CommonParameters {
    /** The largest {@code max_tokens} worth reading; the model's own limit is checked later, with its numbers. */
    private static final long MAX_TOKENS_CAP = Integer.MAX_VALUE;

    private CommonParameters() {
    }

    /**
     * A parameter this gateway does not support, and the values that mean "not used" (accepted as if absent): clients
     * that send a default value explicitly keep working, and one that asks for the feature is told plainly.
     */
    record Unsupported(String name, Predicate<JsonNode> unused, String why) {
    }

    static final Predicate<JsonNode> EMPTY = v -> v.isContainerNode() && v.isEmpty();
    static final Predicate<JsonNode> FALSE = v -> v.isBoolean() && !v.booleanValue();
    static final Predicate<JsonNode> ZERO = v -> v.isNumber() && v.doubleValue() == 0;
    static final Predicate<JsonNode> NEVER = v -> false;

    static void refuseUnsupported(RequestFields f, List<Unsupported> unsupported) {
        for (Unsupported u : unsupported) {
            JsonNode v = f.get(u.name());
            if (v != null && !u.unused().test(v)) {
                throw OpenAiException.invalid(u.name(), "unsupported_parameter", "Unsupported parameter: '" + u.name()
                        + "' is not supported by the Verity gateway: " + u.why() + ".");
            }
        }
    }

    /** Only {@code n = 1}: every choice is a job of its own, so a client asks for several by sending several requests. */
    static void requireOneChoice(RequestFields f) {
        OptionalLong n = f.integer("n", 1, Long.MAX_VALUE);
        if (n.isPresent() && n.getAsLong() != 1) {
            throw OpenAiException.invalid("n", "unsupported_value", "Invalid 'n': the Verity gateway returns one choice "
                    + "per request (each choice is a job of its own, verified and paid separately), so only n = 1 is "
                    + "supported, but got " + n.getAsLong() + ". Send " + n.getAsLong() + " requests instead.");
        }
    }

    static StreamOptions streaming(RequestFields f) {
        boolean stream = f.bool("stream").orElse(false);
        JsonNode options = f.get("stream_options");
        if (options == null) {
            return new StreamOptions(stream, false);
        }
        if (!options.isObject()) {
            throw RequestFields.wrongType("stream_options", "an object", options);
        }
        if (!stream) {
            throw OpenAiException.invalid("stream_options", "invalid_value", "The 'stream_options' parameter is only "
                    + "allowed when 'stream' is enabled.");
        }
        JsonNode include = options.get("include_usage");
        if (include != null && !include.isNull() && !include.isBoolean()) {
            throw RequestFields.wrongType("stream_options.include_usage", "a boolean", include);
        }
        return new StreamOptions(true, include != null && include.asBoolean(false));
    }

    /** {@code maxTokensFields}: the fields that may set the most new tokens, the preferred one first. */
    static SamplingOptions sampling(RequestFields f, List<String> maxTokensFields) {
        OptionalInt maxTokens = OptionalInt.empty();
        String maxTokensParam = maxTokensFields.get(0);
        for (String name : maxTokensFields) {
            OptionalLong v = f.integer(name, 1, MAX_TOKENS_CAP);
            if (v.isPresent() && maxTokens.isEmpty()) {
                maxTokens = OptionalInt.of((int) v.getAsLong());
                maxTokensParam = name;
            }
        }
        double temperature = f.decimal("temperature", 0, false, 2).orElse(SamplingOptions.DEFAULT_TEMPERATURE);
        double topP = f.decimal("top_p", 0, true, 1).orElse(SamplingOptions.DEFAULT_TOP_P);
        List<String> stop = f.stringOrArray("stop", SamplingOptions.MAX_STOP_STRINGS);
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) {
                throw OpenAiException.invalid("stop", "invalid_value", "Invalid 'stop': a stop sequence must not be "
                        + "empty" + (stop.size() > 1 ? " (item " + i + " is)" : "") + ".");
            }
        }
        long seed = f.integer("seed", 0, Long.MAX_VALUE).orElse(SamplingOptions.DEFAULT_SEED);
        return new SamplingOptions(maxTokens, maxTokensParam, temperature, topP, stop, seed);
    }
}
