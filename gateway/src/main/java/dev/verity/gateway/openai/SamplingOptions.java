package dev.verity.gateway.openai;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How to generate, as the client asked (OpenAI's units): shared by chat and legacy completions.
 *
 * @param maxTokens      the most tokens to generate; empty for the room left in the model's context
 * @param maxTokensParam the field the client set it with ({@code max_completion_tokens} or {@code max_tokens}), for errors
 * @param temperature    0 to 2 (default 1)
 * @param topP           above 0, at most 1 (default 1)
 * @param stop           up to 4 strings; the answer ends before the first of them, which is not shown
 * @param seed           0 to 2^63-1 (default {@link #DEFAULT_SEED}; the draw also depends on the job id)
 */
public record SamplingOptions(OptionalInt maxTokens, String maxTokensParam, double temperature, double topP,
                              List<String> stop, long seed) {
    public static final double DEFAULT_TEMPERATURE = 1.0;
    public static final double DEFAULT_TOP_P = 1.0;
    /**
     * The seed when none is given. Sampling is seeded from the job id and the seed together, so two requests without a
     * seed still draw differently; a fixed seed makes a job reproducible by anyone who re-runs it.
     */
    public static final long DEFAULT_SEED = 0;
    public static final int MAX_STOP_STRINGS = 4;

    public SamplingOptions {
        Objects.requireNonNull(maxTokens, "maxTokens");
        stop = List.copyOf(stop);
    }
}
