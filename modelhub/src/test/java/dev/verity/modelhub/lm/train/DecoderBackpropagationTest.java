package dev.verity.modelhub.lm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderBackpropagationTest {
    /** Odd sizes on purpose: widths that are not multiples of the vector length exercise the kernels' tails. */
    private static final DecoderConfig TINY = new DecoderConfig(23, 9, 2, 2, 12, 20);

    /** Weights with larger-than-initial spread and non-trivial norms and biases, so that every path matters. */
    static float[] randomValues(ParameterLayout layout, long seed, double std) {
        Random random = new Random(seed);
        float[] values = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            boolean scale = t.name().endsWith(".weight") && t.shape().length == 1;
            for (int i = 0; i < t.size(); i++) {
                values[t.offset() + i] = (float) ((scale ? 1 : 0) + random.nextGaussian() * std);
            }
        }
        return values;
    }

    static int[] randomTokens(int count, int vocab, long seed) {
        Random random = new Random(seed);
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = random.nextInt(vocab);
        }
        return tokens;
    }

    @Test
    void forwardLogitsEqualTheReference() {
        DecoderConfig config = new DecoderConfig(40, 16, 2, 4, 32, 64);
        ParameterLayout layout = ParameterLayout.of(config);
        float[] values = randomValues(layout, 1, 0.3);
        DecoderWeights weights = layout.toWeights(values);
        int[] tokens = randomTokens(config.contextLength() + 1, config.vocabSize(), 2);

        DecoderBackpropagation pass = new DecoderBackpropagation(layout);
        pass.forward(new WeightSnapshot(layout, values), tokens, 0, config.contextLength());
        float[][] expected = new DecoderReference(weights).logits(java.util.Arrays.copyOf(tokens, config.contextLength()));

        double worst = 0;
        for (int t = 0; t < config.contextLength(); t++) {
            float[] actual = pass.logits(t);
            for (int v = 0; v < config.vocabSize(); v++) {
                worst = Math.max(worst, Math.abs(actual[v] - expected[t][v]) / Math.max(1, Math.abs(expected[t][v])));
            }
        }
        assertThat(worst).isLessThan(2e-5);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheDoublePrecisionLoss() {
        ParameterLayout layout = ParameterLayout.of(TINY);
        float[] values = randomValues(layout, 3, 0.4);
        int[] tokens = randomTokens(TINY.contextLength() + 1, TINY.vocabSize(), 4);
        float[] gradient = new float[layout.size()];
        new DecoderBackpropagation(layout).run(new WeightSnapshot(layout, values), tokens, 0, TINY.contextLength(),
                gradient, 1f);

        double[] p = new double[values.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = values[i];
        }
        Random pick = new Random(5);
        double worst = 0;
        for (ParameterLayout.Tensor t : layout.tensors()) {
            for (int k = 0; k < 6; k++) {
                int i = t.offset() + pick.nextInt(t.size());
                double h = 1e-5;
                double saved = p[i];
                p[i] = saved + h;
                double plus = DoublePrecisionLoss.of(layout, p, tokens);
                p[i] = saved - h;
                double minus = DoublePrecisionLoss.of(layout, p, tokens);
                p[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double error = Math.abs(numeric - gradient[i]) / Math.max(1e-2, Math.abs(numeric) + Math.abs(gradient[i]));
                assertThat(error).as("%s[%d]: analytic %s, numeric %s", t.name(), i - t.offset(), gradient[i], numeric)
                        .isLessThan(1e-3);
                worst = Math.max(worst, error);
            }
        }
        System.out.printf("gradient check: worst relative error %.2e over %d tensors%n", worst, layout.tensors().size());
    }

    @Test
    void rejectsTokensOutsideTheVocabularyAndOverlongSequences() {
        ParameterLayout layout = ParameterLayout.of(TINY);
        DecoderBackpropagation pass = new DecoderBackpropagation(layout);
        WeightSnapshot w = new WeightSnapshot(layout, new float[layout.size()]);
        assertThatThrownBy(() -> pass.forward(w, new int[] {1, 99, 2}, 0, 2))
                .hasMessageContaining("token 99 is outside the vocabulary of 23");
        assertThatThrownBy(() -> pass.forward(w, new int[20], 0, 10))
                .hasMessageContaining("10 positions does not fit the context of 9");
    }
}
