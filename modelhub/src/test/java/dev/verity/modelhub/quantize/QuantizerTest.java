package dev.verity.modelhub.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.Requantization;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.Graph;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    static QuantizedModel quantize(Graph g, String input, int... shape) {
        Calibration cal = Calibrator.calibrate(g, TestGraphs.inputs(1, 32, input, shape));
        return new Quantizer(new QuantizerOptions(50)).quantize(g, cal);
    }

    @Test
    void zooFoldsFusesAndDropsAsDocumented() {
        QuantizedModel qm = quantize(TestGraphs.zoo(13), "x", 1, 3, 8, 8);
        Program p = qm.program();
        assertThat(p.opKinds()).containsExactlyInAnyOrder("AveragePool", "Concat", "LeakyRelu", "Lut", "MaxPool",
                "QAdd", "QConv2d", "QLinear", "QMul", "QSub", "Rescale", "Reshape", "Softmax", "Transpose");
        assertThat(String.join("\n", qm.notes()))
                .contains("folded BatchNormalization node 'BatchNormalization_bn1' into Conv node 'Conv_c1'")
                .contains("fused Relu node 'Relu_r1'")
                .contains("fused Clip node 'Clip_cl'")
                .contains("became a depthwise 1x1 convolution")
                .contains("fused Add node 'Add_mma' into MatMul node 'MatMul_mm' as its bias")
                .contains("removed Dropout node")
                .contains("removed Identity node");
        assertThat(p.inputs()).containsExactly("x");
        assertThat(p.outputs()).containsExactly("probs", "logits");
        // the fused MatMul + Add + Relu is one QLinear writing the Relu's output
        assertThat(p.ops().stream().filter(o -> o instanceof QLinear).map(o -> o.output()).toList()).contains("r2", "logits");
    }

    @Test
    void quantizationIsDeterministic() {
        byte[] a = quantize(TestGraphs.zoo(13), "x", 1, 3, 8, 8).program().encode();
        byte[] b = quantize(TestGraphs.zoo(13), "x", 1, 3, 8, 8).program().encode();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void vectorAndScalarEnginesAgreeOnQuantizedModels() {
        for (Graph g : List.of(TestGraphs.mlp(1), TestGraphs.cnn(2), TestGraphs.zoo(3))) {
            int[] shape = g.name().equals("mlp") ? new int[] {2, 16} : new int[] {1, 3, 8, 8};
            QuantizedModel qm = quantize(g, "x", shape);
            IntegerEngine scalar = new IntegerEngine(qm.program(), EngineOptions.SCALAR);
            IntegerEngine vector = new IntegerEngine(qm.program(), EngineOptions.VECTORIZED);
            for (Map<String, FloatTensor> in : TestGraphs.inputs(9, 10, "x", shape)) {
                RunResult s = scalar.run(qm.quantizeInputs(in));
                RunResult v = vector.run(qm.quantizeInputs(in));
                assertThat(v.outputs()).isEqualTo(s.outputs());
                assertThat(v.stepHashes()).isEqualTo(s.stepHashes());
            }
        }
    }

    @Test
    void unsupportedOperatorsAreRefusedWithTheirNode() {
        TestGraphs g = new TestGraphs(1);
        g.node("Relu", List.of("x"), "r");
        g.node("Resize", List.of("r", "", g.init("scales", new float[] {1, 1, 2, 2}, 4)), "up");
        Graph graph = g.build("bad", 13, Map.of("x", new long[] {1, 1, 2, 2}), List.of("up"));
        Calibration cal = Calibrator.calibrate(graph, TestGraphs.inputs(1, 2, "x", 1, 1, 2, 2));
        assertThatThrownBy(() -> new Quantizer().quantize(graph, cal))
                .isInstanceOfSatisfying(UnsupportedOperatorException.class, e -> {
                    assertThat(e.opType()).isEqualTo("Resize");
                    assertThat(e.nodeName()).isEqualTo("Resize_up");
                })
                .hasMessageContaining("Resize node 'Resize_up'");
    }

    @Test
    void unsupportedVariantsAreRefusedToo() {
        TestGraphs g = new TestGraphs(1);
        g.node("Relu", List.of("x"), "r");
        g.node("Div", List.of("x", "r"), "d");
        Graph graph = g.build("div", 13, Map.of("x", new long[] {1, 4}), List.of("d"));
        Calibration cal = Calibrator.calibrate(graph, TestGraphs.inputs(1, 2, "x", 1, 4));
        assertThatThrownBy(() -> new Quantizer().quantize(graph, cal))
                .isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("Div node 'Div_d'").hasMessageContaining("constant");
    }

    @Test
    void shapeComputationsAndConstantSubgraphsAreResolvedAtImport() {
        TestGraphs g = new TestGraphs(4);
        g.node("Shape", List.of("x"), "s");                     // shape arithmetic: dropped
        g.node("Relu", List.of("x"), "r");
        g.node("Reshape", List.of("r", "s"), "rs");
        g.node("Transpose", List.of(g.random("wt", 0.3, 4, 6)), "w"); // constant subgraph: evaluated
        g.node("MatMul", List.of("rs", "w"), "y");
        Graph graph = g.build("shapes", 13, Map.of("x", new long[] {2, 6}), List.of("y"));
        QuantizedModel qm = quantize(graph, "x", 2, 6);
        assertThat(String.join("\n", qm.notes())).contains("dropped Shape node").contains("evaluated Transpose node");
        assertThat(qm.program().opKinds()).containsExactly("Clamp", "QLinear", "Reshape");
    }

    @Test
    void fixedPointRepresentsFactorsClosely() {
        Random rnd = new Random(8);
        for (int i = 0; i < 10_000; i++) {
            // exponents -32..19: shifts -20..31, full Q31 precision (relative error at most 2^-31)
            double r = Math.scalb(1 + rnd.nextDouble(), rnd.nextInt(52) - 32) * (rnd.nextBoolean() ? 1 : -1);
            Requantization q = FixedPoint.of(r);
            assertThat(Math.abs(FixedPoint.value(q) - r) / Math.abs(r)).isLessThanOrEqualTo(Math.scalb(1.0, -31));
            assertThat(Math.abs(q.multiplier())).isBetween(1 << 30, Integer.MAX_VALUE);
        }
        assertThat(FixedPoint.value(FixedPoint.of(1.0))).isEqualTo(1.0);
        // below 2^-33 the shift is capped at 32 and precision drops: 2^-40 keeps 23 bits
        assertThat(FixedPoint.of(Math.scalb(1.0, -40))).isEqualTo(new Requantization(1 << 23, 32));
        assertThat(FixedPoint.of(0)).isEqualTo(new Requantization(0, 0));
        assertThat(FixedPoint.value(FixedPoint.of(1e30))).isLessThan(Math.scalb(1.0, 31)); // saturates
        assertThat(FixedPoint.scale(FixedPoint.asymmetric(0, 2.55))).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(FixedPoint.asymmetric(0, 2.55).zeroPoint()).isEqualTo(-128);
        assertThat(FixedPoint.asymmetric(-1, 1).zeroPoint()).isEqualTo(0);
    }

    @Test
    void calibrationRecordsRangesAndRefusesChangingShapes() {
        Graph g = TestGraphs.mlp(1);
        Calibration cal = Calibrator.calibrate(g, TestGraphs.inputs(1, 5, "x", 2, 16));
        assertThat(cal.examples()).isEqualTo(5);
        assertThat(cal.ranges().keySet()).contains("x", "h", "hr", "y");
        assertThat(cal.range("hr").min()).isEqualTo(0.0);
        assertThat(cal.range("h").shape()).containsExactly(2, 32);
        Calibrator c = new Calibrator(TestGraphs.cnn(1));
        c.observe(TestGraphs.inputs(1, 1, "x", 1, 3, 8, 8).get(0));
        assertThatThrownBy(() -> c.observe(TestGraphs.inputs(1, 1, "x", 2, 3, 8, 8).get(0)))
                .hasMessageContaining("static shapes");
    }
}
