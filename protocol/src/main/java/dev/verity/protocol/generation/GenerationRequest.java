package dev.verity.protocol.generation;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of a text-generation job: the prompt's token ids and how to generate. Sampling is integer arithmetic
 * seeded from the job id and {@code seed}, so every honest node draws the same tokens.
 *
 * <p>Encoding (docs/PROTOCOL.md, "Generation jobs"): {@code u8 version (1)}, {@code u32 n} then {@code n u32} prompt ids,
 * {@code u32 maxTokens}, {@code u32 temperatureMilli}, {@code u32 topPMilli}, {@code u8 k} stop sequences each
 * {@code u8 m} then {@code m u32} ids, {@code u64 seed}. Nothing may follow.
 *
 * @param temperatureMilli the temperature times 1000, {@code 0} (greedy: the most likely token, the lowest id among
 *                         equals) to {@link #MAX_TEMPERATURE_MILLI}
 * @param topPMilli        nucleus sampling's cumulative probability times 1000, 1 to 1000
 */
public record GenerationRequest(int[] prompt, int maxTokens, int temperatureMilli, int topPMilli, List<int[]> stopSequences,
                                long seed) {
    public static final int VERSION = 1;
    public static final int MAX_TEMPERATURE_MILLI = 2000;
    public static final int MAX_STOP_SEQUENCES = 4;
    public static final int MAX_STOP_TOKENS = 16;
    /** The most prompt tokens any encoding may hold; a model's schema usually allows fewer. */
    public static final int MAX_PROMPT_TOKENS = 1 << 16;

    public GenerationRequest {
        prompt = prompt.clone();
        List<int[]> stops = new ArrayList<>(stopSequences.size());
        for (int[] s : stopSequences) {
            stops.add(s.clone());
        }
        stopSequences = List.copyOf(stops);
        String problem = problem(prompt, maxTokens, temperatureMilli, topPMilli, stopSequences, seed);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    public int promptLength() {
        return prompt.length;
    }

    @Override
    public List<int[]> stopSequences() {
        List<int[]> copies = new ArrayList<>(stopSequences.size());
        for (int[] s : stopSequences) {
            copies.add(s.clone());
        }
        return copies;
    }

    /** Null when every token id of the prompt and the stop sequences is below {@code vocabularySize}. */
    public String vocabularyProblem(long vocabularySize) {
        for (int i = 0; i < prompt.length; i++) {
            if (Integer.toUnsignedLong(prompt[i]) >= vocabularySize) {
                return "prompt token " + i + " is id " + Integer.toUnsignedLong(prompt[i]) + ", outside the vocabulary of "
                        + vocabularySize + " ids";
            }
        }
        for (int s = 0; s < stopSequences.size(); s++) {
            for (int id : stopSequences.get(s)) {
                if (Integer.toUnsignedLong(id) >= vocabularySize) {
                    return "stop sequence " + s + " holds id " + Integer.toUnsignedLong(id) + ", outside the vocabulary of "
                            + vocabularySize + " ids";
                }
            }
        }
        return null;
    }

    public byte[] encode() {
        Encoder e = new Encoder(32 + 4 * prompt.length);
        e.u8(VERSION).u32(prompt.length);
        for (int id : prompt) {
            e.u32(Integer.toUnsignedLong(id));
        }
        e.u32(maxTokens).u32(temperatureMilli).u32(topPMilli).u8(stopSequences.size());
        for (int[] s : stopSequences) {
            e.u8(s.length);
            for (int id : s) {
                e.u32(Integer.toUnsignedLong(id));
            }
        }
        return e.u64(seed).toByteArray();
    }

    /** Reads {@link #encode()}'s bytes; anything else is a {@link DecodingException} that says what is wrong. */
    public static GenerationRequest decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        int version = d.u8("generation request version");
        if (version != VERSION) {
            throw new DecodingException("generation request version " + version + " is not known (this node reads "
                    + VERSION + ")");
        }
        long n = d.u32("prompt length");
        if (n < 1 || n > MAX_PROMPT_TOKENS || n * 4 > d.remaining()) {
            throw new DecodingException("the prompt holds " + n + " tokens; a request holds 1 to " + MAX_PROMPT_TOKENS
                    + " and the bytes left hold at most " + d.remaining() / 4);
        }
        int[] prompt = new int[(int) n];
        for (int i = 0; i < n; i++) {
            prompt[i] = (int) d.u32("prompt token");
        }
        long maxTokens = d.u32("max tokens");
        long temperature = d.u32("temperature");
        long topP = d.u32("top-p");
        int k = d.u8("stop sequence count");
        if (k > MAX_STOP_SEQUENCES) {
            throw new DecodingException(k + " stop sequences; a request holds at most " + MAX_STOP_SEQUENCES);
        }
        List<int[]> stops = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            int m = d.u8("stop sequence length");
            if (m < 1 || m > MAX_STOP_TOKENS) {
                throw new DecodingException("stop sequence " + s + " holds " + m + " tokens; 1 to " + MAX_STOP_TOKENS);
            }
            int[] ids = new int[m];
            for (int i = 0; i < m; i++) {
                ids[i] = (int) d.u32("stop token");
            }
            stops.add(ids);
        }
        long seed = d.u64("seed");
        d.end("generation request");
        if (maxTokens > Integer.MAX_VALUE || temperature > Integer.MAX_VALUE || topP > Integer.MAX_VALUE) {
            throw new DecodingException("max tokens, temperature and top-p must each fit in 31 bits");
        }
        String problem = problem(prompt, (int) maxTokens, (int) temperature, (int) topP, stops, seed);
        if (problem != null) {
            throw new DecodingException(problem);
        }
        return new GenerationRequest(prompt, (int) maxTokens, (int) temperature, (int) topP, stops, seed);
    }

    private static String problem(int[] prompt, int maxTokens, int temperatureMilli, int topPMilli, List<int[]> stops,
                                  long seed) {
        if (prompt.length < 1 || prompt.length > MAX_PROMPT_TOKENS) {
            return "the prompt must hold 1 to " + MAX_PROMPT_TOKENS + " tokens, not " + prompt.length;
        }
        if (maxTokens < 1) {
            return "max tokens must be at least 1, not " + maxTokens;
        }
        if (temperatureMilli < 0 || temperatureMilli > MAX_TEMPERATURE_MILLI) {
            return "the temperature must be 0 to " + MAX_TEMPERATURE_MILLI / 1000 + " (in thousandths: 0 to "
                    + MAX_TEMPERATURE_MILLI + "), not " + temperatureMilli + " thousandths";
        }
        if (topPMilli < 1 || topPMilli > 1000) {
            return "top-p must be above 0 and at most 1 (in thousandths: 1 to 1000), not " + topPMilli + " thousandths";
        }
        if (stops.size() > MAX_STOP_SEQUENCES) {
            return "at most " + MAX_STOP_SEQUENCES + " stop sequences, not " + stops.size();
        }
        for (int[] s : stops) {
            if (s.length < 1 || s.length > MAX_STOP_TOKENS) {
                return "a stop sequence holds 1 to " + MAX_STOP_TOKENS + " tokens, not " + s.length;
            }
        }
        if (seed < 0) {
            return "the seed must be 0 to 2^63-1";
        }
        return null;
    }
}
