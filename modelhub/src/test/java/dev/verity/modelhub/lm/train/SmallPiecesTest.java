package dev.verity.modelhub.lm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernels against their scalar twins, the bigram baseline, sampling, the initialisation. */
class SmallPiecesTest {
    @Test
    void vectorKernelAgreesWithTheScalarLoopsInBothStrideForms() {
        Random random = new Random(1);
        for (int[] shape : new int[][] {{3, 5, 7}, {9, 17, 70}, {4, 33, 128}}) {
            int outer = shape[0];
            int inner = shape[1];
            int cols = shape[2];
            float[] coef = random(random, outer * inner + 3);
            float[] mat = random(random, inner * cols + 5);
            for (boolean transposed : new boolean[] {false, true}) {
                int outerStride = transposed ? 1 : inner;
                int innerStride = transposed ? outer : 1;
                float[] fast = random(new Random(2), outer * cols + 4);
                float[] slow = fast.clone();
                MatrixKernels.multiplyAccumulate(outer, inner, cols, coef, 3, outerStride, innerStride, mat, 5, fast, 4);
                MatrixKernels.Scalar.multiplyAccumulate(outer, inner, cols, coef, 3, outerStride, innerStride, mat, 5, slow, 4);
                for (int i = 0; i < fast.length; i++) {
                    assertThat(fast[i]).isCloseTo(slow[i], within(1e-4f));
                }
            }
        }
    }

    @Test
    void bigramCountsAndSmoothsAsItsFormulaSays() {
        int[] tokens = {0, 1, 0, 1, 0, 2};
        BigramBaseline bigram = BigramBaseline.count(tokens, 3, 0.5);
        // after 0: 1 twice, 2 once, of 3; smoothed (2 + 0.5) / (3 + 1.5)
        assertThat(bigram.nats(0, 1)).isCloseTo(-Math.log(2.5 / 4.5), within(1e-12));
        assertThat(bigram.nats(2, 0)).isCloseTo(Math.log(3), within(1e-12)); // never seen: uniform
        Evaluation e = bigram.evaluate(tokens, 5);
        assertThat(e.predictions()).isEqualTo(5);
    }

    @Test
    void topPWithATinyPIsGreedyAndASeedRepeatsItsDraws() {
        float[] logits = {0.1f, 2.5f, 2.4f, -1f, 0.3f};
        assertThat(TextGenerator.topP(logits, 1e-9, 1.0, new Random(3))).isEqualTo(1);
        int[] first = new int[50];
        int[] second = new int[50];
        Random a = new Random(4);
        Random b = new Random(4);
        for (int i = 0; i < 50; i++) {
            first[i] = TextGenerator.topP(logits, 0.9, 1.0, a);
            second[i] = TextGenerator.topP(logits, 0.9, 1.0, b);
        }
        assertThat(first).isEqualTo(second).contains(1, 2).doesNotContain(3);
    }

    @Test
    void initialisationFollowsGpt2() {
        DecoderConfig config = new DecoderConfig(64, 32, 8, 2, 64, 256);
        ParameterLayout layout = ParameterLayout.of(config);
        DecoderWeights w = layout.toWeights(DecoderInitializer.initialize(layout, 5));
        assertThat(std(w.tokenEmbedding())).isCloseTo(0.02, within(0.001));
        assertThat(std(w.blocks().get(0).mlpWeight())).isCloseTo(0.02, within(0.001));
        assertThat(std(w.blocks().get(0).mlpProjectionWeight())).isCloseTo(0.02 / 4, within(0.0003));
        assertThat(w.blocks().get(3).norm2Scale()).containsOnly(1f);
        assertThat(w.blocks().get(3).attentionBias()).containsOnly(0f);
        assertThat(layout.flatten(w)).containsExactly(DecoderInitializer.initialize(layout, 5));
        assertThat(layout.size()).isEqualTo((int) config.parameterCount());
    }

    private static double std(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / values.length);
    }

    private static float[] random(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
