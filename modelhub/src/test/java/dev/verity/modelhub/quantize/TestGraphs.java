package dev.verity.modelhub.quantize;

import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Small graphs built directly as records, with random weights from a seeded generator. */
public final class TestGraphs {
    private final Random rnd;
    private final List<Node> nodes = new ArrayList<>();
    private final TreeMap<String, TensorData> init = new TreeMap<>();

    TestGraphs(long seed) {
        rnd = new Random(seed);
    }

    String init(String name, float[] values, long... dims) {
        init.put(name, TensorData.ofFloats(name, dims, values));
        return name;
    }

    String ints(String name, long... values) {
        init.put(name, TensorData.ofLongs(name, DataType.INT64, new long[] {values.length}, values));
        return name;
    }

    /** Gaussian weights with standard deviation {@code std}. */
    String random(String name, double std, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * std);
        }
        return init(name, v, dims);
    }

    /** Uniform values in [lo, hi). */
    String uniform(String name, double lo, double hi, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + rnd.nextDouble() * (hi - lo));
        }
        return init(name, v, dims);
    }

    /** Adds a node; attributes as key/value pairs (Long, long[], Float, float[], String). */
    String node(String op, List<String> inputs, String output, Object... attrs) {
        TreeMap<String, Attribute> a = new TreeMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            a.put((String) attrs[i], switch (v) {
                case Integer x -> new Attribute.Int(x);
                case Long x -> new Attribute.Int(x);
                case long[] x -> new Attribute.Ints(x);
                case Float x -> new Attribute.Float(x);
                case float[] x -> new Attribute.Floats(x);
                case String x -> new Attribute.Str(x);
                default -> throw new IllegalArgumentException("attribute type " + v.getClass());
            });
        }
        nodes.add(new Node(op + "_" + output, op, inputs, List.of(output), a));
        return output;
    }

    Graph build(String name, long opset, Map<String, long[]> inputs, List<String> outputs) {
        List<ValueInfo> ins = new ArrayList<>();
        for (Map.Entry<String, long[]> e : inputs.entrySet()) {
            List<Long> dims = new ArrayList<>();
            for (long d : e.getValue()) {
                dims.add(d);
            }
            ins.add(new ValueInfo(e.getKey(), DataType.FLOAT, dims));
        }
        List<ValueInfo> outs = outputs.stream().map(o -> new ValueInfo(o, DataType.FLOAT, List.of())).toList();
        return new Graph(name, 8, opset, ins, outs, nodes, init);
    }

    /** Random inputs: {@code count} maps of one tensor each, values N(0, 1). */
    static List<Map<String, FloatTensor>> inputs(long seed, int count, String name, int... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        List<Map<String, FloatTensor>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) r.nextGaussian();
            }
            TreeMap<String, FloatTensor> m = new TreeMap<>();
            m.put(name, FloatTensor.of(v, shape));
            out.add(m);
        }
        return out;
    }

    // ------------------------------------------------------------------------------ the models

    /** Gemm(16->32) + Relu + Gemm(32->10), batch of 2. */
    public static Graph mlp(long seed) {
        TestGraphs g = new TestGraphs(seed);
        g.node("Gemm", List.of("x", g.random("w1", 0.25, 32, 16), g.random("b1", 0.1, 32)), "h", "transB", 1L);
        g.node("Relu", List.of("h"), "hr");
        g.node("Gemm", List.of("hr", g.random("w2", 0.18, 32, 10), g.random("b2", 0.1, 10)), "y");
        return g.build("mlp", 13, Map.of("x", new long[] {2, 16}), List.of("y"));
    }

    /** Conv(3->8, 3x3, pad 1) + Relu + MaxPool(2x2) + Flatten + Gemm(128->10). */
    public static Graph cnn(long seed) {
        TestGraphs g = new TestGraphs(seed);
        g.node("Conv", List.of("x", g.random("cw", 0.2, 8, 3, 3, 3), g.random("cb", 0.1, 8)), "c",
                "pads", new long[] {1, 1, 1, 1}, "kernel_shape", new long[] {3, 3});
        g.node("Relu", List.of("c"), "r");
        g.node("MaxPool", List.of("r"), "p", "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2});
        g.node("Flatten", List.of("p"), "f");
        g.node("Gemm", List.of("f", g.random("fw", 0.09, 10, 128), g.random("fb", 0.1, 10)), "y", "transB", 1L);
        return g.build("cnn", 13, Map.of("x", new long[] {1, 3, 8, 8}), List.of("y"));
    }

    /**
     * Most supported operators in one graph: Conv + BatchNormalization + Relu (folded and fused), grouped
     * Conv, residual Add + Clip, MaxPool, AveragePool, GlobalAveragePool, Sigmoid, broadcast Mul, Tanh,
     * LeakyRelu, standalone BatchNormalization, Div and Sub by constants, Transpose, Flatten, Dropout,
     * Identity, Reshape (with a constant shape), MatMul + Add, Relu, Gemm, Concat, Unsqueeze, Squeeze, Softmax.
     */
    public static Graph zoo(long seed) {
        TestGraphs g = new TestGraphs(seed);
        g.node("Conv", List.of("x", g.random("w1", 0.25, 8, 3, 3, 3), g.random("b1", 0.1, 8)), "c1",
                "pads", new long[] {1, 1, 1, 1});
        g.node("BatchNormalization", List.of("c1", g.uniform("g1", 0.5, 1.5, 8), g.random("be1", 0.2, 8),
                g.random("m1", 0.2, 8), g.uniform("v1", 0.5, 2.0, 8)), "bn1");
        g.node("Relu", List.of("bn1"), "r1");
        g.node("Conv", List.of("r1", g.random("w2", 0.2, 8, 4, 3, 3)), "c2", "pads", new long[] {1, 1, 1, 1},
                "group", 2L);
        g.node("Add", List.of("c2", "r1"), "res");
        g.node("Clip", List.of("res", g.init("zero", new float[] {0f}), g.init("six", new float[] {6f})), "cl");
        g.node("MaxPool", List.of("cl"), "mp", "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2});
        g.node("AveragePool", List.of("cl"), "ap", "kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1},
                "count_include_pad", 1L);
        g.node("GlobalAveragePool", List.of("ap"), "gap");
        g.node("Sigmoid", List.of("gap"), "sg");
        g.node("Mul", List.of("mp", "sg"), "scaled");
        g.node("Tanh", List.of("scaled"), "th");
        g.node("LeakyRelu", List.of("th"), "lk", "alpha", 0.1f);
        g.node("BatchNormalization", List.of("lk", g.uniform("g2", 0.5, 1.5, 8), g.random("be2", 0.2, 8),
                g.random("m2", 0.1, 8), g.uniform("v2", 0.5, 2.0, 8)), "bn2");
        g.node("Div", List.of("bn2", g.init("two", new float[] {2f})), "dv");
        g.node("Sub", List.of("dv", g.random("sc", 0.3, 8, 1, 1)), "sb");
        g.node("Transpose", List.of("sb"), "tr", "perm", new long[] {0, 2, 3, 1});
        g.node("Flatten", List.of("tr"), "fl");
        g.node("Dropout", List.of("fl"), "dr");
        g.node("Identity", List.of("dr"), "id");
        g.node("Reshape", List.of("id", g.ints("shape", 1, 128)), "rs");
        g.node("MatMul", List.of("rs", g.random("wm", 0.09, 128, 16)), "mm");
        g.node("Add", List.of("mm", g.random("bm", 0.1, 16)), "mma");
        g.node("Relu", List.of("mma"), "r2");
        g.node("Gemm", List.of("r2", g.random("wg", 0.25, 16, 10), g.random("bg", 0.1, 10)), "logits");
        g.node("Flatten", List.of("gap"), "gf");
        g.node("Concat", List.of("logits", "gf"), "cat", "axis", 1L);
        g.node("Unsqueeze", List.of("cat", g.ints("ax0", 0)), "us");
        g.node("Squeeze", List.of("us", g.ints("ax0b", 0)), "sq");
        g.node("Softmax", List.of("sq"), "probs", "axis", -1L);
        return g.build("zoo", 13, Map.of("x", new long[] {1, 3, 8, 8}), List.of("probs", "logits"));
    }
}
