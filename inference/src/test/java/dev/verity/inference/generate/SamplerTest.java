package dev.verity.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.program.DType;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static final Requantization TENTH = new Requantization(1_717_986_918, 3); // ~0.1 nat per unit

    static double scale(Requantization r) {
        return r.multiplier() * Math.pow(2, -(31 + r.shift()));
    }

    static Tensor logits(int... v) {
        return Tensor.of(DType.INT32, new int[] {1, v.length}, v);
    }

    /** softmax(L * s / T) in doubles. */
    static double[] softmax(Tensor l, Requantization s, int temperatureMilli) {
        double[] p = new double[l.elementCount()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, l.get(i));
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((l.get(i) - max) * scale(s) * 1000 / temperatureMilli);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void greedyTakesTheLowestIdAmongEqualMaxima() {
        assertThat(Sampler.greedy(logits(3, 9, 1, 9, 9))).isEqualTo(1);
        assertThat(Sampler.sample(logits(3, 9, 1, 9, 9), TENTH, 0, 1000, 12345)).isEqualTo(1);
        assertThat(Sampler.greedy(logits(Integer.MIN_VALUE, Integer.MIN_VALUE))).isZero();
    }

    @Test
    void weightsAreTheSoftmaxNumeratorsInFixedPoint() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int[] v = new int[1 + rnd.nextInt(50)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextInt(400) - 200;
            }
            int t = 1 + rnd.nextInt(2000);
            long[] w = Sampler.weights(logits(v), TENTH, t);
            int max = java.util.Arrays.stream(v).max().orElseThrow();
            for (int i = 0; i < v.length; i++) {
                double expected = Math.exp(-(max - v[i]) * scale(TENTH) * 1000 / t) * (1 << 30);
                // the scaled difference is rounded to 2^-16 before exp: a relative error of at most ~2^-17 x
                double x = (max - v[i]) * scale(TENTH) * 1000 / t;
                assertThat((double) w[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(8 + expected * (x + 1) * 2e-5));
            }
        }
        assertThat(Sampler.weights(logits(Integer.MIN_VALUE, Integer.MAX_VALUE), TENTH, 1)).containsExactly(0, 1 << 30);
    }

    @Test
    void drawsFollowTheSoftmax() {
        Tensor l = logits(10, 0, -5, 12, 3, -40);
        SeedStream seeds = new SeedStream(GeneratorTest.seed(77));
        for (int temperature : new int[] {500, 1000, 2000}) {
            double[] p = softmax(l, TENTH, temperature);
            int n = 20_000;
            int[] counts = new int[6];
            for (int i = 0; i < n; i++) {
                counts[Sampler.sample(l, TENTH, temperature, 1000, seeds.draw(i))]++;
            }
            for (int k = 0; k < 6; k++) {
                // a loose check: 5 standard deviations of a binomial count plus a little
                double sd = Math.sqrt(n * p[k] * (1 - p[k]));
                assertThat((double) counts[k]).as("token %d at T=%d", k, temperature).isCloseTo(n * p[k],
                        org.assertj.core.data.Offset.offset(5 * sd + 5));
            }
        }
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        Tensor l = logits(10, 0, -5, 12, 3, -40);
        double[] p = softmax(l, TENTH, 1000); // token 3 ~0.37, token 0 ~0.30, token 4 ~0.15, ...
        assertThat(p[3]).isLessThan(0.6);
        assertThat(p[3] + p[0]).isBetween(0.6, 0.7);
        SeedStream seeds = new SeedStream(GeneratorTest.seed(78));
        int[] counts = new int[6];
        for (int i = 0; i < 5000; i++) {
            counts[Sampler.sample(l, TENTH, 1000, 600, seeds.draw(i))]++;
        }
        assertThat(counts[1] + counts[2] + counts[4] + counts[5]).isZero();
        assertThat((double) counts[3] / (counts[3] + counts[0])).isCloseTo(p[3] / (p[3] + p[0]),
                org.assertj.core.data.Offset.offset(0.04));
        for (int i = 0; i < 200; i++) {
            assertThat(Sampler.sample(l, TENTH, 2000, 0, seeds.draw(i))).isEqualTo(3);
        }
    }

    @Test
    void theOrderIsByLogitThenId() {
        assertThat(Sampler.order(logits(5, 7, 5, Integer.MIN_VALUE, Integer.MAX_VALUE, 7))).containsExactly(4, 1, 5, 0, 2, 3);
    }

    @Test
    void productsCompareExactlyBeyondSixtyFourBits() {
        long big = 1L << 62;
        assertThat(Sampler.productAtLeast(big, 1000, big + 1, 999)).isTrue();
        assertThat(Sampler.productAtLeast(big, 999, big, 1000)).isFalse();
        assertThat(Sampler.productAtLeast(big, 1000, big, 1000)).isTrue();
        assertThat(Sampler.productAtLeast(3, 4, 2, 6)).isTrue();
    }

    @Test
    void seedStreamDrawsAreFixedAndIndependentOfEachOther() {
        SeedStream s = new SeedStream(GeneratorTest.seed(1));
        assertThat(s.draw(3)).isEqualTo(new SeedStream(GeneratorTest.seed(1)).draw(3));
        assertThat(s.draw(3)).isNotEqualTo(s.draw(4));
        assertThat(s.draw(0)).isNotEqualTo(new SeedStream(GeneratorTest.seed(2)).draw(0));
        assertThatThrownBy(() -> s.draw(-1)).hasMessageContaining("negative");
    }

    @Test
    void aBadLogitScaleIsRefused() {
        assertThatThrownBy(() -> Sampler.weights(logits(1, 2), new Requantization(-(1 << 30), 0), 1000))
                .hasMessageContaining("logit scale");
        assertThatThrownBy(() -> Sampler.weights(logits(1, 2), new Requantization(1 << 30, 29), 1000))
                .hasMessageContaining("at least 2^-30");
    }
}
