package dev.verity.sdk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A model's input schema as the API shows it. {@code kind} is {@code UTF8_TEXT} (with {@code minBytes} and
 * {@code maxBytes}), {@code FLOAT32_TENSOR} (with {@code shape} and the finite range {@code min}..{@code max}) or
 * {@code TOKEN_IDS} (with {@code maxTokens} and {@code vocabularySize}) or {@code TOKEN_GENERATION} (with
 * {@code vocabularySize}, {@code contextLength}, {@code maxTokens} new tokens at most, and the compute units per prompt
 * token and per generated token); fields of other kinds are omitted.
 * {@code maxInputBytes} is the most bytes an input can have; {@code description} says it all in one line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputSchemaView(String kind, Integer minBytes, Integer maxBytes, List<Integer> shape, Float min, Float max,
                              Integer maxTokens, Long vocabularySize, long maxInputBytes, String description,
                              Integer contextLength, Long promptUnits, Long generatedUnits) {
    /** A view of a kind without a context or per-token units. */
    public InputSchemaView(String kind, Integer minBytes, Integer maxBytes, List<Integer> shape, Float min, Float max,
                           Integer maxTokens, Long vocabularySize, long maxInputBytes, String description) {
        this(kind, minBytes, maxBytes, shape, min, max, maxTokens, vocabularySize, maxInputBytes, description, null, null, null);
    }
}
