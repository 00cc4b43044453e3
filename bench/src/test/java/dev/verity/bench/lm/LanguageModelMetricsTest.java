package dev.verity.bench.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's quality metrics on hand-made cases. */
class LanguageModelMetricsTest {
    @Test
    void agreementCountsUpToAndIncludingTheFirstDivergence() {
        GreedyAgreement a = GreedyAgreement.of(List.of(5, 6, 7, 8), List.of(5, 6, 9, 8));
        assertThat(a).isEqualTo(new GreedyAgreement(1, 3, 2, 0));
        GreedyAgreement whole = GreedyAgreement.of(List.of(1, 2, 3), List.of(1, 2, 3));
        assertThat(whole).isEqualTo(new GreedyAgreement(1, 3, 3, 1));
        GreedyAgreement first = GreedyAgreement.of(List.of(1, 2), List.of(4, 2));
        assertThat(first).isEqualTo(new GreedyAgreement(1, 1, 0, 0));

        GreedyAgreement sum = a.plus(whole).plus(first);
        assertThat(sum).isEqualTo(new GreedyAgreement(3, 7, 5, 1));
        assertThat(sum.tokenShare()).isEqualTo(5.0 / 7);
        assertThat(sum.wholeShare()).isEqualTo(1.0 / 3);
        assertThat(sum.meanCommonPrefix()).isEqualTo(5.0 / 3);
    }

    @Test
    void uniformLogitsGiveTheVocabularyAsPerplexity() {
        Perplexity p = new Perplexity();
        p.add(new double[] {3, 3, 3, 3}, 1);
        p.add(new double[] {-7, -7, -7, -7}, 2);
        assertThat(p.positions()).isEqualTo(2);
        assertThat(p.value()).isCloseTo(4, within(1e-12));
    }

    @Test
    void perplexityIsTheExponentOfTheMeanNegativeLogProbability() {
        // softmax(ln 1, ln 3) = (1/4, 3/4)
        double[] logits = {0, Math.log(3)};
        assertThat(Perplexity.negativeLogProbability(logits, 1)).isCloseTo(-Math.log(0.75), within(1e-12));
        Perplexity p = new Perplexity();
        p.add(logits, 1);
        p.add(logits, 0);
        assertThat(p.value()).isCloseTo(Math.exp((-Math.log(0.75) - Math.log(0.25)) / 2), within(1e-12));
        // large logits do not overflow
        assertThat(Perplexity.negativeLogProbability(new double[] {1000, 1000}, 0)).isCloseTo(Math.log(2), within(1e-12));
    }
}
