package dev.verity.modelhub.floatengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Operators against hand-computed values, and the engine's input checking. */
class FloatEngineTest {

    // ---------------------------------------------------------------- helpers

    /** Attributes: name, value, name, value, ... (Long, Float, long[], float[], String). */
    static TreeMap<String, Attribute> attrs(Object... pairs) {
        TreeMap<String, Attribute> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            Attribute a = switch (v) {
                case Integer n -> new Attribute.Int(n);
                case Long n -> new Attribute.Int(n);
                case Float f -> new Attribute.Float(f);
                case long[] l -> new Attribute.Ints(l);
                case float[] f -> new Attribute.Floats(f);
                case String s -> new Attribute.Str(s);
                case TensorData t -> new Attribute.Tensor(t);
                default -> throw new IllegalArgumentException(String.valueOf(v));
            };
            map.put((String) pairs[i], a);
        }
        return map;
    }

    static ValueInfo info(String name, FloatTensor t) {
        List<Long> dims = new ArrayList<>();
        for (int d : t.shape()) {
            dims.add((long) d);
        }
        return new ValueInfo(name, t.type(), dims);
    }

    /** Runs one node whose inputs are graph inputs x0, x1, ... (null: omitted) and returns its outputs. */
    static List<FloatTensor> runNode(String op, long opset, Map<String, Attribute> attributes, int outputs,
                                     FloatTensor... inputs) {
        List<ValueInfo> graphInputs = new ArrayList<>();
        List<String> nodeInputs = new ArrayList<>();
        Map<String, FloatTensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                nodeInputs.add("");
                continue;
            }
            graphInputs.add(info("x" + i, inputs[i]));
            nodeInputs.add("x" + i);
            feeds.put("x" + i, inputs[i]);
        }
        List<String> names = new ArrayList<>();
        List<ValueInfo> graphOutputs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            names.add("y" + i);
            graphOutputs.add(new ValueInfo("y" + i, DataType.FLOAT, List.of()));
        }
        Graph graph = new Graph("g", 8, opset, graphInputs, graphOutputs,
                List.of(new Node("n", op, nodeInputs, names, new TreeMap<>(attributes))), new TreeMap<>());
        return new ArrayList<>(new FloatEngine(graph).run(feeds).values());
    }

    static FloatTensor run(String op, Map<String, Attribute> attributes, FloatTensor... inputs) {
        return runNode(op, 17, attributes, 1, inputs).get(0);
    }

    static FloatTensor t(float[] data, int... shape) {
        return FloatTensor.of(data, shape);
    }

    static FloatTensor range(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return FloatTensor.of(v, shape);
    }

    static FloatTensor longs(long[] values, int... shape) {
        return FloatTensor.ofInt64(shape, values);
    }

    static float[] f(float... v) {
        return v;
    }

    static long[] l(long... v) {
        return v;
    }

    // ---------------------------------------------------------------- Conv

    @Test
    void convWithPadsStridesAndBias() {
        FloatTensor x = t(f(1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 1, 3, 3);
        FloatTensor w = t(f(1, 1, 1, 1, 1, 1, 1, 1, 1), 1, 1, 3, 3);
        FloatTensor y = run("Conv", attrs("pads", l(1, 1, 1, 1), "strides", l(2, 2)), x, w, t(f(1), 1));
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        // windows over the zero-padded 5x5 input: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9, plus the bias
        assertThat(y.data()).containsExactly(13, 17, 25, 29);
    }

    @Test
    void convWithDilations() {
        FloatTensor y = run("Conv", attrs("dilations", l(2, 2)), range(1, 1, 4, 4), t(f(1, 2, 3, 4), 1, 1, 2, 2));
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        // out(0,0) = 1*x[0][0] + 2*x[0][2] + 3*x[2][0] + 4*x[2][2] = 0 + 4 + 24 + 40
        assertThat(y.data()).containsExactly(68, 78, 108, 118);
    }

    @Test
    void convWithGroups() {
        FloatTensor x = t(f(1, 1, 1, 1, 2, 2, 2, 2), 1, 2, 2, 2);
        // group=2, two maps per group: maps 0-1 read channel 0, maps 2-3 read channel 1
        FloatTensor y = run("Conv", attrs("group", 2L), x, t(f(1, 2, 3, 4), 4, 1, 1, 1));
        assertThat(y.shape()).containsExactly(1, 4, 2, 2);
        assertThat(y.data()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 6, 6, 6, 6, 8, 8, 8, 8);
        // group=1 mixes channels: 1*c0 + 2*c1
        FloatTensor mixed = run("Conv", attrs(), x, t(f(1, 2), 1, 2, 1, 1));
        assertThat(mixed.data()).containsExactly(5, 5, 5, 5);
        assertThatThrownBy(() -> run("Conv", attrs("group", 3L), x, t(f(1, 2, 3), 3, 1, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group=3");
    }

    @Test
    void convWithAutoPad() {
        float[] v = new float[16];
        java.util.Arrays.fill(v, 1);
        FloatTensor ones = t(v, 1, 1, 4, 4);
        FloatTensor k = t(f(1, 1, 1, 1), 1, 1, 2, 2);
        FloatTensor upper = run("Conv", attrs("auto_pad", "SAME_UPPER"), ones, k);
        FloatTensor lower = run("Conv", attrs("auto_pad", "SAME_LOWER"), ones, k);
        FloatTensor valid = run("Conv", attrs("auto_pad", "VALID"), ones, k);
        assertThat(upper.shape()).containsExactly(1, 1, 4, 4);
        // SAME_UPPER pads at the end: the first output sees a full window, the last a single value
        assertThat(upper.data()[0]).isEqualTo(4);
        assertThat(upper.data()[15]).isEqualTo(1);
        assertThat(lower.data()[0]).isEqualTo(1);
        assertThat(lower.data()[15]).isEqualTo(4);
        assertThat(valid.shape()).containsExactly(1, 1, 3, 3);
    }

    // ---------------------------------------------------------------- pooling

    @Test
    void maxPoolCeilMode() {
        FloatTensor x = range(1, 1, 4, 4);
        FloatTensor floor = run("MaxPool", attrs("kernel_shape", l(3, 3), "strides", l(2, 2)), x);
        assertThat(floor.shape()).containsExactly(1, 1, 1, 1);
        assertThat(floor.data()).containsExactly(10);
        FloatTensor ceil = run("MaxPool", attrs("kernel_shape", l(3, 3), "strides", l(2, 2), "ceil_mode", 1L), x);
        assertThat(ceil.shape()).containsExactly(1, 1, 2, 2);
        assertThat(ceil.data()).containsExactly(10, 11, 14, 15);
        FloatTensor avg = run("AveragePool", attrs("kernel_shape", l(3, 3), "strides", l(2, 2), "ceil_mode", 1L), x);
        // the clipped windows average only the values they cover: (2+3+6+7+10+11)/6 = 6.5
        assertThat(avg.data()).containsExactly(5, 6.5f, 11, 12.5f);
    }

    @Test
    void maxPoolPadsAndIndices() {
        FloatTensor x = t(f(-4, -3, -2, -1), 1, 1, 2, 2);
        List<FloatTensor> out = runNode("MaxPool", 12, attrs("kernel_shape", l(2, 2), "pads", l(1, 1, 0, 0)), 2, x);
        // padding never wins, even over negative values
        assertThat(out.get(0).shape()).containsExactly(1, 1, 2, 2);
        assertThat(out.get(0).data()).containsExactly(-4, -3, -2, -1);
        assertThat(out.get(1).type()).isEqualTo(DataType.INT64);
        assertThat(out.get(1).longs()).containsExactly(0, 1, 2, 3);
        // column-major indices (storage_order=1)
        List<FloatTensor> columns = runNode("MaxPool", 12, attrs("kernel_shape", l(2, 2), "pads", l(1, 1, 0, 0),
                "storage_order", 1L), 2, x);
        assertThat(columns.get(1).longs()).containsExactly(0, 2, 1, 3);
    }

    @Test
    void averagePoolCountIncludePad() {
        FloatTensor x = t(f(1, 2, 3, 4), 1, 1, 2, 2);
        FloatTensor excl = run("AveragePool", attrs("kernel_shape", l(2, 2), "pads", l(1, 1, 1, 1)), x);
        FloatTensor incl = run("AveragePool", attrs("kernel_shape", l(2, 2), "pads", l(1, 1, 1, 1),
                "count_include_pad", 1L), x);
        assertThat(excl.shape()).containsExactly(1, 1, 3, 3);
        assertThat(excl.data()[0]).isEqualTo(1); // only x[0][0] is real
        assertThat(incl.data()[0]).isEqualTo(0.25f); // divided by the full window
        assertThat(excl.data()[4]).isEqualTo(2.5f);
        FloatTensor global = run("GlobalAveragePool", attrs(), x);
        assertThat(global.shape()).containsExactly(1, 1, 1, 1);
        assertThat(global.data()).containsExactly(2.5f);
    }

    // ---------------------------------------------------------------- Gemm / MatMul

    @Test
    void gemmTransB() {
        FloatTensor a = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        FloatTensor b = t(f(1, 0, 1, 0, 1, 0), 2, 3); // used transposed: B' is 3x2
        FloatTensor c = t(f(1, 2), 2);
        FloatTensor y = run("Gemm", attrs("transB", 1L, "alpha", 2f, "beta", 0.5f), a, b, c);
        // A B' = [[4, 2], [10, 5]]; 2 * that + 0.5 * [1, 2] broadcast over rows
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.data()).containsExactly(8.5f, 5, 20.5f, 11);
        FloatTensor noBias = run("Gemm", attrs("transA", 1L), t(f(1, 2, 3, 4), 2, 2), t(f(1, 0, 0, 1), 2, 2));
        assertThat(noBias.data()).containsExactly(1, 3, 2, 4); // A^T
        assertThatThrownBy(() -> run("Gemm", attrs(), a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inner dimensions differ");
    }

    @Test
    void matMulBroadcastsBatches() {
        FloatTensor a = range(2, 2, 3);
        FloatTensor b = t(f(1, 0, 0, 1, 1, 1), 3, 2);
        FloatTensor y = run("MatMul", attrs(), a, b);
        assertThat(y.shape()).containsExactly(2, 2, 2);
        // row [0, 1, 2] -> [0 + 2, 1 + 2]
        assertThat(y.data()).containsExactly(2, 3, 8, 9, 14, 15, 20, 21);
        FloatTensor vector = run("MatMul", attrs(), t(f(1, 2, 3), 3), b);
        assertThat(vector.shape()).containsExactly(2);
        assertThat(vector.data()).containsExactly(4, 5);
    }

    // ---------------------------------------------------------------- softmax

    @Test
    void softmaxAlongAnAxis() {
        FloatTensor x = t(f(1, 2, 3, 1, 1, 1), 2, 3);
        FloatTensor rows = run("Softmax", attrs("axis", 1L), x);
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(rows.data()[2]).isCloseTo((float) (Math.exp(3) / s), within(1e-7f));
        assertThat(rows.data()[3]).isCloseTo(1 / 3f, within(1e-7f));
        FloatTensor columns = run("Softmax", attrs("axis", 0L), x);
        assertThat(columns.data()[0]).isCloseTo(0.5f, within(1e-7f));
        assertThat(columns.data()[2]).isCloseTo((float) (Math.exp(3) / (Math.exp(3) + Math.exp(1))), within(1e-7f));
        // the default axis is -1 from opset 13
        assertThat(run("Softmax", attrs(), x).data()).containsExactly(rows.data());
    }

    @Test
    void softmaxBeforeOpset13CoercesTo2D() {
        FloatTensor x = t(f(0, 0, 0, 0), 1, 2, 2);
        FloatTensor old = runNode("Softmax", 11, attrs("axis", 1L), 1, x).get(0);
        FloatTensor current = runNode("Softmax", 13, attrs("axis", 1L), 1, x).get(0);
        assertThat(old.data()).containsExactly(0.25f, 0.25f, 0.25f, 0.25f); // over the 4 trailing values
        assertThat(current.data()).containsExactly(0.5f, 0.5f, 0.5f, 0.5f); // over axis 1 only
    }

    // ---------------------------------------------------------------- shapes

    @Test
    void reshapeZeroAndMinusOne() {
        FloatTensor x = range(2, 3, 4);
        assertThat(run("Reshape", attrs(), x, longs(l(0, -1), 2)).shape()).containsExactly(2, 12);
        assertThat(run("Reshape", attrs(), x, longs(l(-1, 4), 2)).shape()).containsExactly(6, 4);
        assertThat(run("Reshape", attrs(), x, longs(l(0, 0, -1), 3)).shape()).containsExactly(2, 3, 4);
        FloatTensor y = run("Reshape", attrs(), x, longs(l(4, 0, 2), 3));
        assertThat(y.shape()).containsExactly(4, 3, 2);
        assertThat(y.data()).containsExactly(x.data());
        FloatTensor empty = t(new float[0], 0, 3);
        assertThat(run("Reshape", attrs("allowzero", 1L), empty, longs(l(3, 0), 2)).shape()).containsExactly(3, 0);
        assertThatThrownBy(() -> run("Reshape", attrs(), x, longs(l(-1, -1), 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one -1");
        assertThatThrownBy(() -> run("Reshape", attrs(), x, longs(l(5, -1), 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot infer");
    }

    @Test
    void squeezeAndUnsqueezeByOpset() {
        FloatTensor x = range(1, 3, 1);
        assertThat(runNode("Squeeze", 11, attrs("axes", l(0)), 1, x).get(0).shape()).containsExactly(3, 1);
        assertThat(runNode("Squeeze", 13, attrs(), 1, x, longs(l(-1), 1)).get(0).shape()).containsExactly(1, 3);
        assertThat(runNode("Squeeze", 13, attrs(), 1, x).get(0).shape()).containsExactly(3);
        assertThat(runNode("Unsqueeze", 11, attrs("axes", l(0, 4)), 1, x).get(0).shape())
                .containsExactly(1, 1, 3, 1, 1);
        assertThat(runNode("Unsqueeze", 13, attrs(), 1, range(3), longs(l(2, 0), 2)).get(0).shape())
                .containsExactly(1, 3, 1);
    }

    @Test
    void transposeConcatFlattenGather() {
        FloatTensor x = range(2, 3);
        FloatTensor tr = run("Transpose", attrs(), x);
        assertThat(tr.shape()).containsExactly(3, 2);
        assertThat(tr.data()).containsExactly(0, 3, 1, 4, 2, 5);
        FloatTensor cat = run("Concat", attrs("axis", -1L), x, t(f(9, 9), 2, 1));
        assertThat(cat.shape()).containsExactly(2, 4);
        assertThat(cat.data()).containsExactly(0, 1, 2, 9, 3, 4, 5, 9);
        assertThat(run("Flatten", attrs("axis", 0L), range(2, 3, 4)).shape()).containsExactly(1, 24);
        assertThat(run("Flatten", attrs(), range(2, 3, 4)).shape()).containsExactly(2, 12);
        FloatTensor shape = run("Shape", attrs(), range(2, 3, 4));
        assertThat(shape.longs()).containsExactly(2, 3, 4);
        FloatTensor g = run("Gather", attrs("axis", 1L), x, longs(l(2, -3), 2));
        assertThat(g.data()).containsExactly(2, 0, 5, 3);
    }

    // ---------------------------------------------------------------- element-wise

    @Test
    void addBroadcasts() {
        FloatTensor m = range(2, 3);
        assertThat(run("Add", attrs(), m, t(f(10, 20, 30), 3)).data()).containsExactly(10, 21, 32, 13, 24, 35);
        FloatTensor outer = run("Add", attrs(), t(f(1, 2), 2, 1), t(f(10, 20, 30), 1, 3));
        assertThat(outer.shape()).containsExactly(2, 3);
        assertThat(outer.data()).containsExactly(11, 21, 31, 12, 22, 32);
        assertThat(run("Add", attrs(), m, FloatTensor.scalar(1)).data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(run("Add", attrs(), longs(l(1, 2), 2), longs(l(40), 1)).longs()).containsExactly(41, 42);
        assertThatThrownBy(() -> run("Add", attrs(), m, t(f(1, 2), 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Add node 'n'").hasMessageContaining("cannot be broadcast");
    }

    @Test
    void clipTakesAttributesOrInputsByOpset() {
        FloatTensor x = t(f(-2, 0, 2), 3);
        assertThat(runNode("Clip", 6, attrs("min", -1f, "max", 1f), 1, x).get(0).data()).containsExactly(-1, 0, 1);
        assertThat(runNode("Clip", 13, attrs(), 1, x, FloatTensor.scalar(-1), null).get(0).data())
                .containsExactly(-1, 0, 2);
        assertThat(runNode("Clip", 13, attrs(), 1, x, null, FloatTensor.scalar(1)).get(0).data())
                .containsExactly(-2, 0, 1);
    }

    @Test
    void activations() {
        FloatTensor x = t(f(-2, 0, 3), 3);
        assertThat(run("Relu", attrs(), x).data()).containsExactly(0, 0, 3);
        assertThat(run("LeakyRelu", attrs(), x).data()).containsExactly(-0.02f, 0, 3);
        assertThat(run("LeakyRelu", attrs("alpha", 0.5f), x).data()).containsExactly(-1, 0, 3);
        assertThat(run("Sigmoid", attrs(), x).data()[1]).isEqualTo(0.5f);
        assertThat(run("Tanh", attrs(), x).data()[2]).isEqualTo((float) Math.tanh(3));
    }

    @Test
    void batchNormalizationDropoutAndIdentity() {
        FloatTensor x = t(f(1, 2, 3, 4), 1, 2, 2, 1);
        FloatTensor y = run("BatchNormalization", attrs("epsilon", 0f), x, t(f(1, 2), 2), t(f(0, 1), 2),
                t(f(1, 3), 2), t(f(4, 1), 2));
        // channel 0: (x - 1) / 2; channel 1: (x - 3) / 1 * 2 + 1
        assertThat(y.data()).containsExactly(0, 0.5f, 1, 3);
        List<FloatTensor> dropout = runNode("Dropout", 13, attrs(), 2, x);
        assertThat(dropout.get(0)).isEqualTo(x);
        assertThat(dropout.get(1).type()).isEqualTo(DataType.BOOL);
        assertThat(dropout.get(1).longs()).containsOnly(1);
        assertThat(run("Identity", attrs(), x)).isEqualTo(x);
    }

    // ---------------------------------------------------------------- the engine

    private static Graph convRelu() {
        FloatTensor w = t(f(1, -1), 1, 2, 1, 1);
        return new Graph("g", 8, 13, List.of(new ValueInfo("x", DataType.FLOAT, List.of(-1L, 2L, 2L, 2L))),
                List.of(new ValueInfo("y", DataType.FLOAT, List.of(-1L, 1L, 2L, 2L))),
                List.of(new Node("conv", "Conv", List.of("x", "w"), List.of("c"), new TreeMap<>()),
                        new Node("", "Relu", List.of("c"), List.of("y"), new TreeMap<>())),
                new TreeMap<>(Map.of("w", w.toTensorData("w"))));
    }

    @Test
    void runsAGraphAndReportsEveryActivation() {
        FloatEngine engine = new FloatEngine(convRelu());
        FloatTensor x = t(f(5, 1, 1, 5, 1, 2, 3, 4), 1, 2, 2, 2);
        List<String> seen = new ArrayList<>();
        Map<String, FloatTensor> out = engine.run(Map.of("x", x), (name, producer, value) ->
                seen.add(name + "<-" + producer.opType() + Shapes.str(value.shape())));
        assertThat(out.keySet()).containsExactly("y");
        assertThat(out.get("y").data()).containsExactly(4, 0, 0, 1);
        assertThat(seen).containsExactly("c<-Conv[1, 1, 2, 2]", "y<-Relu[1, 1, 2, 2]");
    }

    @Test
    void checksInputs() {
        FloatEngine engine = new FloatEngine(convRelu());
        assertThatThrownBy(() -> engine.run(Map.of("x", range(1, 3, 2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 'x'").hasMessageContaining("expected shape [-1, 2, 2, 2]")
                .hasMessageContaining("got [1, 3, 2, 2]");
        assertThatThrownBy(() -> engine.run(Map.of("x", range(2, 2, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got [2, 2, 2]");
        assertThatThrownBy(() -> engine.run(Map.of("x", longs(new long[8], 1, 2, 2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 'x': expected element type FLOAT, got INT64");
        assertThatThrownBy(() -> engine.run(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing input 'x'");
        assertThatThrownBy(() -> engine.run(Map.of("x", range(1, 2, 2, 2), "z", range(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown input 'z'");
        // any batch size is accepted for a dim_param
        assertThat(engine.run(Map.of("x", range(3, 2, 2, 2))).get("y").shape()).containsExactly(3, 1, 2, 2);
    }

    @Test
    void refusesUnsupportedOperators() {
        Graph g = new Graph("g", 8, 13, List.of(new ValueInfo("x", DataType.FLOAT, List.of(1L))),
                List.of(new ValueInfo("y", DataType.FLOAT, List.of(1L))),
                List.of(new Node("fancy", "NonMaxSuppression", List.of("x"), List.of("y"), new TreeMap<>())),
                new TreeMap<>());
        assertThat(FloatEngine.unsupportedOperators(g)).containsExactly("NonMaxSuppression");
        assertThatThrownBy(() -> new FloatEngine(g)).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("NonMaxSuppression").hasMessageContaining("'fancy'")
                .satisfies(e -> {
                    UnsupportedOperatorException u = (UnsupportedOperatorException) e;
                    assertThat(u.opType()).isEqualTo("NonMaxSuppression");
                    assertThat(u.nodeName()).isEqualTo("fancy");
                });
        assertThat(FloatEngine.supportedOperators()).contains("Conv", "Gemm", "MatMul", "Softmax", "Reshape");
        assertThatThrownBy(() -> runNode("Cast", 13, attrs("to", 11L), 1, range(2)))
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("DOUBLE");
    }

    @Test
    void tensorsAreImmutableValues() {
        float[] data = {1, 2};
        FloatTensor x = FloatTensor.of(data, 2);
        data[0] = 9;
        assertThat(x.data()).containsExactly(1, 2);
        x.data()[0] = 7;
        assertThat(x.data()).containsExactly(1, 2);
        assertThat(x).isEqualTo(FloatTensor.of(f(1, 2), 2));
        assertThatThrownBy(() -> FloatTensor.of(f(1, 2, 3), 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 4 values, got 3");
        assertThatThrownBy(x::longs).isInstanceOf(IllegalStateException.class);
    }
}
