package dev.verity.bench.lm;

import java.util.Arrays;
import java.util.List;

/**
 * Float against integer on held-out text: greedy continuations of each window's first {@code promptTokens} tokens
 * ({@link GreedyAgreement}), and each model's teacher-forced {@link Perplexity} over every window's tokens (each
 * position scored on the next token).
 */
public record QualityComparison(GreedyAgreement agreement, Perplexity floatPerplexity, Perplexity integerPerplexity) {

    public static QualityComparison measure(LanguageModelEngine floatModel, LanguageModelEngine integerModel,
                                            List<int[]> windows, int promptTokens, int generated) {
        GreedyAgreement agreement = GreedyAgreement.NONE;
        Perplexity f = new Perplexity();
        Perplexity q = new Perplexity();
        for (int[] window : windows) {
            int[] prompt = Arrays.copyOf(window, promptTokens);
            List<Integer> expected = floatModel.generateGreedy(prompt, generated, index -> { });
            List<Integer> actual = integerModel.generateGreedy(prompt, generated, index -> { });
            agreement = agreement.plus(GreedyAgreement.of(expected, actual));
            score(floatModel, window, f);
            score(integerModel, window, q);
        }
        return new QualityComparison(agreement, f, q);
    }

    /** Adds positions {@code 0 .. n-2} of {@code window}, each scored on the token after it. */
    private static void score(LanguageModelEngine model, int[] window, Perplexity into) {
        int[] position = {0};
        model.teacherForced(Arrays.copyOf(window, window.length - 1), logits -> {
            into.add(logits, window[position[0] + 1]);
            position[0]++;
        });
    }
}
