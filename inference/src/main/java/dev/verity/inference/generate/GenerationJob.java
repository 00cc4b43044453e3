package dev.verity.inference.generate;

import dev.verity.core.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A generation job as the integer engine and the chain's step checks see it: the prompt and how to generate, with the
 * sampling seed already derived from the job ({@link SamplingSeed}). The model's end token comes from the model.
 */
public record GenerationJob(int[] prompt, int maxTokens, int temperatureMilli, int topPMilli,
                            List<List<Integer>> stopSequences, byte[] seed) {
    public GenerationJob {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("the prompt needs at least one token");
        }
        prompt = prompt.clone();
        seed = seed.clone();
        List<List<Integer>> copy = new ArrayList<>();
        for (List<Integer> s : stopSequences) {
            copy.add(List.copyOf(s));
        }
        stopSequences = List.copyOf(copy);
        new GenerationParameters(maxTokens, temperatureMilli, topPMilli, GenerationParameters.NO_END_TOKEN, stopSequences,
                seed); // checks the rest
    }

    /** The job of a request for job {@code job}: the stop sequences as lists, the seed from the job id and the request's. */
    public static GenerationJob of(Hash job, int[] prompt, int maxTokens, int temperatureMilli, int topPMilli,
                                   List<int[]> stopSequences, long requestSeed) {
        List<List<Integer>> stops = new ArrayList<>();
        for (int[] s : stopSequences) {
            stops.add(Arrays.stream(s).boxed().toList());
        }
        return new GenerationJob(prompt, maxTokens, temperatureMilli, topPMilli, stops, SamplingSeed.of(job, requestSeed));
    }

    /** The parameters of the decoding loop for a model whose end token is {@code endToken}. */
    public GenerationParameters parameters(int endToken) {
        return new GenerationParameters(maxTokens, temperatureMilli, topPMilli, endToken, stopSequences, seed);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    public int promptLength() {
        return prompt.length;
    }

    /** Prompt token {@code i}. */
    public int promptToken(int i) {
        return prompt[i];
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationJob j && Arrays.equals(prompt, j.prompt) && maxTokens == j.maxTokens
                && temperatureMilli == j.temperatureMilli && topPMilli == j.topPMilli && stopSequences.equals(j.stopSequences)
                && Arrays.equals(seed, j.seed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(prompt) * 31 + Arrays.hashCode(seed);
    }
}
