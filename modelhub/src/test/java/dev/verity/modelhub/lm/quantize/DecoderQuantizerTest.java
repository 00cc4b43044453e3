package dev.verity.modelhub.lm.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.generate.CacheSlot;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.GenerationResult;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.quantize.FixedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The quantized step program against the float reference: logits, greedy choices, generation. */
class DecoderQuantizerTest {
    static final DecoderConfig SMALL = new DecoderConfig(64, 32, 2, 4, 32, 64);

    /** The integer logits (dequantized) of every position of {@code tokens}, fed one run at a time. */
    static double[][] integerLogits(DecoderStep step, int[] tokens, EngineOptions options) {
        IntegerEngine engine = new IntegerEngine(step.program(), options);
        Generator g = new Generator(step, engine::run);
        SortedMap<String, Tensor> caches = g.emptyCaches();
        double s = FixedPoint.scale(step.logitsSpec().quantization());
        double[][] out = new double[tokens.length][];
        for (int p = 0; p < tokens.length; p++) {
            RunResult r = engine.run(g.stepInputs(tokens[p], p, caches));
            Tensor logits = r.outputs().get(step.logitsOutput());
            out[p] = new double[logits.elementCount()];
            for (int v = 0; v < out[p].length; v++) {
                out[p][v] = logits.get(v) * s;
            }
            TreeMap<String, Tensor> next = new TreeMap<>();
            for (CacheSlot c : step.caches()) {
                next.put(c.input(), r.outputs().get(c.output()));
            }
            caches = next;
        }
        return out;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static DecoderStep quantized(DecoderWeights w, long seed) {
        DecoderConfig c = w.config();
        DecoderCalibration cal = DecoderCalibration.calibrate(w, TestDecoders.sequences(c, 8, c.contextLength(), seed));
        return DecoderQuantizer.quantize(w, cal, 512);
    }

    /** Greedy float generation with the reference. */
    static List<Integer> floatGreedy(DecoderWeights w, int[] prompt, int count) {
        DecoderReference.Session s = new DecoderReference(w).session();
        float[] logits = null;
        for (int t : prompt) {
            logits = s.next(t);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int next = argmax(logits);
            out.add(next);
            if (i + 1 < count) {
                logits = s.next(next);
            }
        }
        return out;
    }

    @Test
    void theObservedPassComputesTheReferenceLogits() {
        DecoderWeights w = TestDecoders.random(SMALL, 1);
        int[] tokens = TestDecoders.sequences(SMALL, 1, 20, 9).get(0);
        float[][] reference = new DecoderReference(w).logits(tokens);
        ObservedDecoder observed = new ObservedDecoder(w, (point, values) -> { });
        for (int p = 0; p < tokens.length; p++) {
            assertThat(observed.next(tokens[p])).isEqualTo(reference[p]);
        }
    }

    @Test
    void quantizedLogitsFollowTheFloatLogits() {
        logitError(1.0, 0.3, 0.9);
        logitError(0.25, 0.3, 0.7);
    }

    /** Logits of four random sequences, integer against float; logs the error, checks it and the argmax agreement. */
    private static void logitError(double embeddingSd, double maximumRelativeRms, double minimumShare) {
        DecoderWeights w = TestDecoders.random(SMALL, 2, embeddingSd);
        DecoderStep step = quantized(w, 3);
        double sumSq = 0;
        double errSq = 0;
        double maxErr = 0;
        int agree = 0;
        int positions = 0;
        for (int[] tokens : TestDecoders.sequences(SMALL, 4, SMALL.contextLength(), 77)) {
            float[][] f = new DecoderReference(w).logits(tokens);
            double[][] q = integerLogits(step, tokens, EngineOptions.VECTORIZED);
            for (int p = 0; p < tokens.length; p++) {
                double mean = 0;
                for (float v : f[p]) {
                    mean += v;
                }
                mean /= f[p].length;
                for (int v = 0; v < f[p].length; v++) {
                    sumSq += (f[p][v] - mean) * (f[p][v] - mean);
                    double e = q[p][v] - f[p][v];
                    errSq += e * e;
                    maxErr = Math.max(maxErr, Math.abs(e));
                }
                agree += argmax(q[p]) == argmax(f[p]) ? 1 : 0;
                positions++;
            }
        }
        double relativeRms = Math.sqrt(errSq / sumSq);
        double share = (double) agree / positions;
        System.out.printf(Locale.ROOT, "[lm-quant] random %s, embeddings sd %.2f: logit RMS error %.3f of the logits'"
                + " spread (sd %.2f), max abs error %.3f, same argmax at %d of %d positions (%.1f%%)%n", SMALL, embeddingSd,
                relativeRms,
                Math.sqrt(sumSq / positions / SMALL.vocabSize()), maxErr, agree, positions, 100 * share);
        assertThat(relativeRms).isLessThan(maximumRelativeRms);
        assertThat(share).isGreaterThanOrEqualTo(minimumShare);
    }

    @Test
    void scalarAndVectorKernelsAndSlicingGiveTheSameLogitsAndCaches() {
        DecoderWeights w = TestDecoders.random(SMALL, 4);
        DecoderCalibration cal = DecoderCalibration.calibrate(w, TestDecoders.sequences(SMALL, 2, 16, 5));
        int[] tokens = TestDecoders.sequences(SMALL, 1, 6, 6).get(0);
        double[][] a = integerLogits(DecoderQuantizer.quantize(w, cal, 4096), tokens, EngineOptions.SCALAR);
        double[][] b = integerLogits(DecoderQuantizer.quantize(w, cal, 7), tokens, EngineOptions.VECTORIZED);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void greedyIntegerGenerationCountsLikeTheHandMadeModel() {
        DecoderWeights w = TestDecoders.counter(16, 32);
        DecoderStep step = quantized(w, 8);
        int[] prompt = {3, 4};
        List<Integer> expected = floatGreedy(w, prompt, 24);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(expected.get(i)).isEqualTo((5 + i) % 16); // the float model counts
        }
        GenerationResult r = Generator.onEngine(step, EngineOptions.VECTORIZED).generate(prompt,
                GenerationParameters.greedy(24, GenerationParameters.NO_END_TOKEN));
        System.out.printf(Locale.ROOT, "[lm-quant] counter model: integer greedy generation matches float greedy at %d of 24%n",
                matching(expected, r.tokens()));
        assertThat(r.tokens()).isEqualTo(expected);
    }

    @Test
    void greedyIntegerGenerationAgreesWithFloatOnMostTokens() {
        greedyAgreement(1.0, 0.9);
        greedyAgreement(0.25, 0.7);
    }

    /** Greedy generation of four random models, integer against float; logs the shares, checks the teacher-forced one. */
    private static void greedyAgreement(double embeddingSd, double minimumShare) {
        DecoderConfig tiny = new DecoderConfig(32, 32, 2, 2, 32, 64);
        int total = 0;
        int same = 0;
        int teacherForcedSame = 0;
        int prefix = 0;
        for (long seed = 10; seed < 14; seed++) {
            DecoderWeights w = TestDecoders.random(tiny, seed, embeddingSd);
            DecoderStep step = quantized(w, seed + 100);
            int[] prompt = TestDecoders.sequences(tiny, 1, 4, seed + 200).get(0);
            List<Integer> expected = floatGreedy(w, prompt, 24);
            List<Integer> got = Generator.onEngine(step, EngineOptions.VECTORIZED)
                    .generate(prompt, GenerationParameters.greedy(24, GenerationParameters.NO_END_TOKEN)).tokens();
            same += matching(expected, got);
            int k = 0;
            while (k < got.size() && got.get(k).equals(expected.get(k))) {
                k++;
            }
            prefix += k;
            // teacher forced: the integer argmax at each position of the float greedy sequence
            int[] sequence = new int[prompt.length + expected.size() - 1];
            System.arraycopy(prompt, 0, sequence, 0, prompt.length);
            for (int i = 0; i + 1 < expected.size(); i++) {
                sequence[prompt.length + i] = expected.get(i);
            }
            double[][] q = integerLogits(step, sequence, EngineOptions.VECTORIZED);
            for (int i = 0; i < expected.size(); i++) {
                teacherForcedSame += argmax(q[prompt.length - 1 + i]) == expected.get(i) ? 1 : 0;
            }
            total += expected.size();
        }
        System.out.printf(Locale.ROOT, "[lm-quant] random %s x4, embeddings sd %.2f: greedy tokens equal at the same index"
                + " %d of %d (%.1f%%), common prefixes %d, teacher-forced argmax agreement %d of %d (%.1f%%)%n", tiny,
                embeddingSd, same, total, 100.0 * same / total, prefix, teacherForcedSame, total,
                100.0 * teacherForcedSame / total);
        assertThat((double) teacherForcedSame / total).isGreaterThanOrEqualTo(minimumShare);
    }

    static int matching(List<Integer> a, List<Integer> b) {
        int n = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            n += a.get(i).equals(b.get(i)) ? 1 : 0;
        }
        return n;
    }
}
