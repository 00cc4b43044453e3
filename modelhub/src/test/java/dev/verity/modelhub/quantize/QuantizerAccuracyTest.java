package dev.verity.modelhub.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quantized programs of small hand-built models against the float engine: per output, the largest
 * absolute error, also relative to the largest float magnitude of that output, and how often the arg-max
 * agrees. Calibration is plain min/max over 256 random N(0, 1) inputs; errors are printed for 40 of those
 * inputs and asserted on 40 held-out ones, where values beyond the calibrated ranges are clipped (the main
 * source of the larger held-out errors).
 */
class QuantizerAccuracyTest {

    record Report(String model, String output, double maxAbsError, double meanAbsError, double maxMagnitude,
                  double argmaxAgreement) {
        double relative() {
            return maxAbsError / maxMagnitude;
        }

        double meanRelative() {
            return meanAbsError / maxMagnitude;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%s/%s: max |error| %.5f (%.2f%% of max |y| %.4f), mean |error| %.5f (%.2f%%), arg-max agreement %.0f%%",
                    model, output, maxAbsError, 100 * relative(), maxMagnitude, meanAbsError, 100 * meanRelative(),
                    100 * argmaxAgreement);
        }
    }

    record Measured(Report[] calibration, Report[] heldOut) {}

    static final int CALIBRATION_EXAMPLES = 256;

    /** Errors on 40 of the calibration inputs (seed 1) and on 40 held-out inputs (seed 2). */
    static Measured measure(Graph graph, String input, int[] shape) {
        return new Measured(measure(graph, input, shape, 1), measure(graph, input, shape, 2));
    }

    static Report[] measure(Graph graph, String input, int[] shape, long testSeed) {
        Calibration cal = Calibrator.calibrate(graph, TestGraphs.inputs(1, CALIBRATION_EXAMPLES, input, shape));
        QuantizedModel qm = new Quantizer(new QuantizerOptions(64)).quantize(graph, cal);
        IntegerEngine engine = new IntegerEngine(qm.program(), EngineOptions.VECTORIZED);
        FloatEngine fe = new FloatEngine(graph);
        List<String> outs = qm.program().outputs();
        double[] err = new double[outs.size()];
        double[] sum = new double[outs.size()];
        long[] count = new long[outs.size()];
        double[] mag = new double[outs.size()];
        int[] agree = new int[outs.size()];
        int rows = 0;
        List<Map<String, FloatTensor>> test = TestGraphs.inputs(testSeed, 40, input, shape);
        for (Map<String, FloatTensor> in : test) {
            Map<String, FloatTensor> f = fe.run(in);
            RunResult r = engine.run(qm.quantizeInputs(in));
            Map<String, FloatTensor> q = qm.dequantizeOutputs(r.outputs());
            for (int o = 0; o < outs.size(); o++) {
                float[] fv = f.get(outs.get(o)).data();
                float[] qv = q.get(outs.get(o)).data();
                int last = f.get(outs.get(o)).dim(f.get(outs.get(o)).rank() - 1);
                for (int i = 0; i < fv.length; i++) {
                    err[o] = Math.max(err[o], Math.abs(fv[i] - qv[i]));
                    sum[o] += Math.abs(fv[i] - qv[i]);
                    count[o]++;
                    mag[o] = Math.max(mag[o], Math.abs(fv[i]));
                }
                for (int row = 0; row < fv.length / last; row++) {
                    agree[o] += argmax(fv, row * last, last) == argmax(qv, row * last, last) ? 1 : 0;
                    if (o == 0) {
                        rows++;
                    }
                }
            }
        }
        Report[] reports = new Report[outs.size()];
        for (int o = 0; o < outs.size(); o++) {
            reports[o] = new Report(graph.name(), outs.get(o), err[o], sum[o] / count[o], mag[o], (double) agree[o] / rows);
            System.out.println("[accuracy] " + (testSeed == 1 ? "calibration inputs: " : "held-out inputs:    ")
                    + reports[o]);
        }
        return reports;
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void mlpIsCloseToTheFloatModel() {
        Measured m = measure(TestGraphs.mlp(11), "x", new int[] {2, 16});
        assertThat(m.calibration()[0].relative()).isLessThan(0.03);
        assertThat(m.heldOut()[0].relative()).isLessThan(0.15);
        assertThat(m.heldOut()[0].meanRelative()).isLessThan(0.01);
        assertThat(m.heldOut()[0].argmaxAgreement()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void cnnIsCloseToTheFloatModel() {
        Measured m = measure(TestGraphs.cnn(12), "x", new int[] {1, 3, 8, 8});
        assertThat(m.calibration()[0].relative()).isLessThan(0.03);
        assertThat(m.heldOut()[0].relative()).isLessThan(0.15); // one held-out logit lies beyond the calibrated range
        assertThat(m.heldOut()[0].meanRelative()).isLessThan(0.01);
        assertThat(m.heldOut()[0].argmaxAgreement()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void zooOfOperatorsIsCloseToTheFloatModel() {
        Measured m = measure(TestGraphs.zoo(13), "x", new int[] {1, 3, 8, 8});
        for (Report[] r : new Report[][] {m.calibration(), m.heldOut()}) {
            assertThat(r[0].maxAbsError()).as("softmax probabilities").isLessThan(0.02);
            assertThat(r[1].relative()).as("logits").isLessThan(0.08);
            assertThat(r[1].meanRelative()).as("logits").isLessThan(0.02);
        }
    }
}
