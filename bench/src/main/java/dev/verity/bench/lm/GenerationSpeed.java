package dev.verity.bench.lm;

import java.util.List;

/**
 * Greedy generation speed of one engine for one prompt length: time to first token (prefill and the first draw),
 * prompt tokens per second (the prompt over that time), and generated tokens per second after the first (each fed
 * back and run, then drawn), medians over runs that cycle through the given prompts.
 */
public record GenerationSpeed(String engine, int promptTokens, int generatedTokens, int runs, double firstTokenMillis,
                              double promptTokensPerSecond, double generatedTokensPerSecond) {

    /** Runs {@code warmups} unmeasured generations, then {@code runs} measured ones (warm the engine up before too). */
    public static GenerationSpeed measure(LanguageModelEngine engine, List<int[]> prompts, int generated, int warmups,
                                          int runs) {
        for (int i = 0; i < warmups; i++) {
            engine.generateGreedy(prompts.get(i % prompts.size()), generated, index -> { });
        }
        double[] first = new double[runs];
        double[] prefill = new double[runs];
        double[] decode = new double[runs];
        for (int i = 0; i < runs; i++) {
            int[] prompt = prompts.get(i % prompts.size());
            long[] at = new long[generated];
            long start = System.nanoTime();
            List<Integer> tokens = engine.generateGreedy(prompt, generated, index -> at[index] = System.nanoTime());
            if (tokens.size() != generated) {
                throw new IllegalStateException(engine.name() + " generated " + tokens.size() + " tokens, not " + generated);
            }
            double firstSeconds = (at[0] - start) / 1e9;
            first[i] = firstSeconds * 1e3;
            prefill[i] = prompt.length / firstSeconds;
            decode[i] = (generated - 1) / ((at[generated - 1] - at[0]) / 1e9);
        }
        return new GenerationSpeed(engine.name(), prompts.get(0).length, generated, runs, Timing.median(first),
                Timing.median(prefill), Timing.median(decode));
    }
}
