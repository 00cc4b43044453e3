package dev.verity.inference.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to generate, all in integers so that every node draws the same tokens.
 *
 * @param maxTokens        tokens to generate at most, at least 1
 * @param temperatureMilli the temperature in thousandths, {@code [0, 2000]}; 0 is greedy (argmax, ties to the lowest id)
 * @param topPMilli        nucleus sampling's mass in thousandths, {@code [0, 1000]}: the draw is among the most likely
 *                         tokens whose weights first reach this share of the total (at least one token); 1000 keeps all
 * @param endToken         the end-of-text token id, or {@link #NO_END_TOKEN}
 * @param stopSequences    up to {@value #MAX_STOP_SEQUENCES} token sequences of 1 to {@value #MAX_STOP_LENGTH} tokens;
 *                         generation stops when the generated tokens end with one
 * @param seed             the job's {@value SeedStream#SEED_BYTES}-byte sampling seed
 */
public record GenerationParameters(int maxTokens, int temperatureMilli, int topPMilli, int endToken,
                                   List<List<Integer>> stopSequences, byte[] seed) {
    public static final int MAX_TEMPERATURE_MILLI = 2000;
    public static final int MAX_TOP_P_MILLI = 1000;
    public static final int NO_END_TOKEN = -1;
    public static final int MAX_STOP_SEQUENCES = 8;
    public static final int MAX_STOP_LENGTH = 32;

    public GenerationParameters {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (temperatureMilli < 0 || temperatureMilli > MAX_TEMPERATURE_MILLI) {
            throw new IllegalArgumentException("temperature must be within [0, " + MAX_TEMPERATURE_MILLI
                    + "] thousandths (0 to 2.0), got " + temperatureMilli);
        }
        if (topPMilli < 0 || topPMilli > MAX_TOP_P_MILLI) {
            throw new IllegalArgumentException("top-p must be within [0, " + MAX_TOP_P_MILLI
                    + "] thousandths (0 to 1.0), got " + topPMilli);
        }
        if (endToken < NO_END_TOKEN) {
            throw new IllegalArgumentException("the end token must be a token id or -1 for none, got " + endToken);
        }
        if (stopSequences.size() > MAX_STOP_SEQUENCES) {
            throw new IllegalArgumentException("at most " + MAX_STOP_SEQUENCES + " stop sequences, got " + stopSequences.size());
        }
        List<List<Integer>> copy = new ArrayList<>();
        for (List<Integer> s : stopSequences) {
            if (s.isEmpty() || s.size() > MAX_STOP_LENGTH) {
                throw new IllegalArgumentException("a stop sequence holds 1 to " + MAX_STOP_LENGTH + " tokens, got " + s.size());
            }
            for (Integer t : s) {
                if (t == null || t < 0) {
                    throw new IllegalArgumentException("stop sequence " + s + " holds a token id that is not a token");
                }
            }
            copy.add(List.copyOf(s));
        }
        stopSequences = List.copyOf(copy);
        new SeedStream(seed); // checks the length
        seed = seed.clone();
    }

    /** Greedy decoding: temperature 0, no stop sequence. */
    public static GenerationParameters greedy(int maxTokens, int endToken) {
        return new GenerationParameters(maxTokens, 0, MAX_TOP_P_MILLI, endToken, List.of(), new byte[SeedStream.SEED_BYTES]);
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    /** Equal when every field is, the seed by its bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationParameters p && maxTokens == p.maxTokens && temperatureMilli == p.temperatureMilli
                && topPMilli == p.topPMilli && endToken == p.endToken && stopSequences.equals(p.stopSequences)
                && Arrays.equals(seed, p.seed);
    }

    @Override
    public int hashCode() {
        return (((maxTokens * 31 + temperatureMilli) * 31 + topPMilli) * 31 + endToken) * 31 + Arrays.hashCode(seed);
    }

    @Override
    public String toString() {
        return "GenerationParameters(maxTokens " + maxTokens + ", temperature " + temperatureMilli + "/1000, top-p "
                + topPMilli + "/1000, end token " + endToken + ", stop sequences " + stopSequences + ")";
    }
}
