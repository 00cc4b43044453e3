package dev.verity.modelhub.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.train.Cnn;
import dev.verity.modelhub.train.Mlp;
import dev.verity.modelhub.train.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The writer's bytes as ONNX Runtime reads and runs them, and as a generic protobuf parser sees them. */
class OnnxWriterTest {

    /** Each network, written with a Softmax, runs in ORT and agrees with the network's own float forward pass. */
    @ParameterizedTest
    @EnumSource(OnnxWriter.FloatEncoding.class)
    void networksRunInOnnxRuntimeLikeTheirOwnForwardPass(OnnxWriter.FloatEncoding encoding) throws Exception {
        List<Network> networks = List.of(Mlp.forDigits(3), Cnn.forDigits(3), Mlp.forFashion(3), Cnn.forFashion(3));
        Random random = new Random(11);
        for (Network network : networks) {
            Graph graph = network.toGraph("test", true);
            byte[] bytes = new OnnxWriter(encoding).write(graph);
            int batch = 5;
            float[] input = new float[batch * network.inputSize()];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextFloat();
            }
            long[] shape = new long[graph.inputs().get(0).dims().size()];
            shape[0] = batch;
            for (int d = 1; d < shape.length; d++) {
                shape[d] = graph.inputs().get(0).dims().get(d);
            }
            try (OrtRunner ort = OrtRunner.load(bytes)) {
                assertThat(ort.inputNames()).containsExactly(Network.INPUT);
                assertThat(ort.outputNames()).containsExactlyInAnyOrder(Network.LOGITS, Network.PROBABILITIES);
                Map<String, Object> out = ort.run(Map.of(Network.INPUT, input), Map.of(Network.INPUT, shape));
                float[] logits = (float[]) out.get(Network.LOGITS);
                float[] probabilities = (float[]) out.get(Network.PROBABILITIES);
                assertThat(logits).hasSize(batch * network.classes());
                for (int b = 0; b < batch; b++) {
                    float[] example = new float[network.inputSize()];
                    System.arraycopy(input, b * example.length, example, 0, example.length);
                    float[] expected = network.logits(example);
                    double sum = 0;
                    for (int c = 0; c < network.classes(); c++) {
                        float got = logits[b * network.classes() + c];
                        assertThat(got).as("%s example %d class %d", network.describe(), b, c)
                                .isCloseTo(expected[c], within(1e-4f + 1e-5f * Math.abs(expected[c])));
                        sum += probabilities[b * network.classes() + c];
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-5));
                }
            }
        }
    }

    /**
     * Every attribute kind (Constant's value, value_float(s), value_int(s), value_string; LeakyRelu's
     * alpha; Transpose's perm), a scalar initializer, an INT64 initializer and an omitted optional input.
     */
    @ParameterizedTest
    @EnumSource(OnnxWriter.FloatEncoding.class)
    void everyAttributeKindRunsInOnnxRuntime(OnnxWriter.FloatEncoding encoding) throws Exception {
        Graph graph = attributeGraph();
        try (OrtRunner ort = OrtRunner.load(new OnnxWriter(encoding).write(graph))) {
            float[] x = {1, -2, 3, -4, 5, 6};
            Map<String, Object> out = ort.run(Map.of("x", x), Map.of("x", new long[] {2, 3}));
            float[] offsets = {1, 2, 3};
            float[] scales = {2, -1, 0.5f};
            float[] expected = new float[6];
            for (int i = 0; i < 6; i++) {
                float v = (x[i] + offsets[i % 3]) * scales[i % 3];
                v = v >= 0 ? v : 0.1f * v;
                expected[i] = Math.min(v * 0.5f, 0.75f);
            }
            assertThat((float[]) out.get("y")).containsExactly(expected, within(1e-6f));
            assertThat((long[]) out.get("k")).containsExactly(4, 5, 6);
            assertThat((long[]) out.get("i")).containsExactly(7);
            Object s = out.get("s");
            assertThat(s instanceof String[] a ? a[0] : s).isEqualTo("verity");
        }
    }

    /** Initializers of the other element types, each Cast to FLOAT by ORT. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT16", "INT8", "UINT8", "INT16", "UINT16", "INT32", "INT64",
            "UINT32", "UINT64", "BOOL"})
    void initializersOfOtherTypes(DataType type) throws Exception {
        TensorData c = switch (type) {
            case DOUBLE, FLOAT16 -> new TensorData("c", type, new long[] {3}, new float[] {0.5f, -2f, 1024f}, new long[0]);
            case BOOL -> TensorData.ofLongs("c", type, new long[] {3}, new long[] {1, 0, 1});
            case UINT8, UINT16, UINT32, UINT64 -> TensorData.ofLongs("c", type, new long[] {3}, new long[] {0, 7, 200});
            default -> TensorData.ofLongs("c", type, new long[] {3}, new long[] {-3, 0, 100});
        };
        Graph graph = new Graph("cast", 8, 13, List.of(), List.of(new ValueInfo("y", DataType.FLOAT, List.of(3L))),
                List.of(node("cast", "Cast", List.of("c"), "y", Map.of("to", new Attribute.Int(DataType.FLOAT.code())))),
                new TreeMap<>(Map.of("c", c)));
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = c.floats().length > 0 ? c.floats()[i] : c.longs()[i];
        }
        try (OrtRunner ort = OrtRunner.load(OnnxWriter.toBytes(graph))) {
            assertThat((float[]) ort.run(Map.of(), Map.of()).get("y")).containsExactly(expected);
        }
    }

    @Test
    void sameGraphGivesSameBytes() {
        Network network = Cnn.forDigits(5);
        byte[] first = OnnxWriter.toBytes(network.toGraph("d", true));
        byte[] again = OnnxWriter.toBytes(network.toGraph("d", true));
        byte[] fromOther = OnnxWriter.toBytes(Cnn.forDigits(5).toGraph("d", true));
        assertThat(again).isEqualTo(first);
        assertThat(fromOther).isEqualTo(first);
        assertThat(OnnxWriter.toBytes(attributeGraph())).isEqualTo(OnnxWriter.toBytes(attributeGraph()));
        assertThat(OnnxWriter.toBytes(Cnn.forDigits(6).toGraph("d", true))).isNotEqualTo(first);
    }

    @Test
    void headerFieldsAndShapes() throws Exception {
        UnknownFieldSet model = UnknownFieldSet.parseFrom(OnnxWriter.toBytes(Mlp.forDigits(1).toGraph("digits-mlp", false)));
        assertThat(model.getField(1).getVarintList()).containsExactly(8L);                         // ir_version
        assertThat(model.getField(2).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("verity"));
        UnknownFieldSet opset = UnknownFieldSet.parseFrom(model.getField(8).getLengthDelimitedList().get(0));
        assertThat(opset.getField(1).getLengthDelimitedList()).containsExactly(ByteString.EMPTY);  // domain ""
        assertThat(opset.getField(2).getVarintList()).containsExactly(13L);                        // version
        UnknownFieldSet graph = UnknownFieldSet.parseFrom(model.getField(7).getLengthDelimitedList().get(0));
        assertThat(graph.getField(2).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("digits-mlp"));
        assertThat(graph.getField(1).getLengthDelimitedList()).hasSize(3);                          // Gemm, Relu, Gemm
        assertThat(graph.getField(5).getLengthDelimitedList()).hasSize(4);                          // 2 weights, 2 biases
        // input: name "input", tensor_type { elem_type FLOAT, shape { dim { dim_param "N" } dim { dim_value 64 } } }
        UnknownFieldSet input = UnknownFieldSet.parseFrom(graph.getField(11).getLengthDelimitedList().get(0));
        assertThat(input.getField(1).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("input"));
        UnknownFieldSet tensorType = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(
                input.getField(2).getLengthDelimitedList().get(0)).getField(1).getLengthDelimitedList().get(0));
        assertThat(tensorType.getField(1).getVarintList()).containsExactly(1L);
        List<ByteString> dims = UnknownFieldSet.parseFrom(tensorType.getField(2).getLengthDelimitedList().get(0))
                .getField(1).getLengthDelimitedList();
        assertThat(UnknownFieldSet.parseFrom(dims.get(0)).getField(2).getLengthDelimitedList())
                .containsExactly(ByteString.copyFromUtf8("N"));
        assertThat(UnknownFieldSet.parseFrom(dims.get(1)).getField(1).getVarintList()).containsExactly(64L);
    }

    @Test
    void opsetDefaultsTo13AndAHigherIrVersionIsKept() throws Exception {
        Graph g = attributeGraph();
        Graph noOpset = new Graph(g.name(), 0, 0, g.inputs(), g.outputs(), g.nodes(), g.initializers());
        UnknownFieldSet model = UnknownFieldSet.parseFrom(OnnxWriter.toBytes(noOpset));
        assertThat(model.getField(1).getVarintList()).containsExactly(8L);
        assertThat(UnknownFieldSet.parseFrom(model.getField(8).getLengthDelimitedList().get(0)).getField(2).getVarintList())
                .containsExactly(13L);
        Graph newer = new Graph(g.name(), 10, 21, g.inputs(), g.outputs(), g.nodes(), g.initializers());
        model = UnknownFieldSet.parseFrom(OnnxWriter.toBytes(newer));
        assertThat(model.getField(1).getVarintList()).containsExactly(10L);
        assertThat(UnknownFieldSet.parseFrom(model.getField(8).getLengthDelimitedList().get(0)).getField(2).getVarintList())
                .containsExactly(21L);
    }

    @Test
    void secondDynamicDimensionGetsItsOwnName() throws Exception {
        Graph g = new Graph("dyn", 8, 13, List.of(new ValueInfo("x", DataType.FLOAT, List.of(-1L, -1L))),
                List.of(new ValueInfo("y", DataType.FLOAT, List.of(-1L, -1L))),
                List.of(node("relu", "Relu", List.of("x"), "y", Map.of())), new TreeMap<>());
        try (OrtRunner ort = OrtRunner.load(OnnxWriter.toBytes(g))) {
            assertThat(ort.run("x", new float[] {-1, 2, 3, -4, 5, -6}, 2, 3)).containsExactly(0, 2, 3, 0, 5, 0);
        }
        assertThat(new String(OnnxWriter.toBytes(g), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("N_1");
    }

    @Test
    void namedDynamicDimensionsKeepTheirNames() throws Exception {
        Graph g = new Graph("named", 8, 13,
                List.of(new ValueInfo("x", DataType.FLOAT, List.of(-1L, -1L, 3L), List.of("batch_size", "", ""))),
                List.of(new ValueInfo("y", DataType.FLOAT, List.of(-1L, -1L, 3L))),
                List.of(node("relu", "Relu", List.of("x"), "y", Map.of())), new TreeMap<>());
        String text = new String(OnnxWriter.toBytes(g), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("batch_size").contains("N_1");
        try (OrtRunner ort = OrtRunner.load(OnnxWriter.toBytes(g))) {
            assertThat(ort.run("x", new float[] {-1, 2, 3, -4, 5, -6}, 1, 2, 3)).containsExactly(0, 2, 3, 0, 5, 0);
        }
        assertThatThrownBy(() -> new ValueInfo("z", DataType.FLOAT, List.of(-1L), List.of("a", "b")))
                .hasMessageContaining("value 'z' has 1 dimensions but 2 dimension names");
    }

    @Test
    void rejectsTensorsWhoseValuesDoNotMatchTheirShape() {
        Graph g = new Graph("bad", 8, 13, List.of(), List.of(), List.of(),
                new TreeMap<>(Map.of("w", TensorData.ofFloats("w", new long[] {2, 3}, new float[5]))));
        assertThatThrownBy(() -> OnnxWriter.toBytes(g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w'").hasMessageContaining("6 elements but holds 5");
        Graph s = new Graph("bad", 8, 13, List.of(), List.of(), List.of(),
                new TreeMap<>(Map.of("s", TensorData.ofLongs("s", DataType.STRING, new long[] {1}, new long[1]))));
        assertThatThrownBy(() -> OnnxWriter.toBytes(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STRING");
    }

    @Test
    void writesFiles(@TempDir Path dir) throws Exception {
        Graph graph = Mlp.forDigits(2).toGraph("m", false);
        Path file = dir.resolve("sub/m.onnx");
        new OnnxWriter().write(graph, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(OnnxWriter.toBytes(graph));
    }

    /** x [N,3] → ((x + [1,2,3]) · [2,−1,0.5]) → LeakyRelu 0.1 → ·0.5 → Clip(max 0.75) → Reshape [−1,3,1] → Transpose → y [N,1,3]. */
    private static Graph attributeGraph() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(node("offsets", "Constant", List.of(), "offsets", Map.of("value_floats", new Attribute.Floats(new float[] {1, 2, 3}))));
        nodes.add(node("scales", "Constant", List.of(), "scales",
                Map.of("value", new Attribute.Tensor(TensorData.ofFloats("scales", new long[] {3}, new float[] {2, -1, 0.5f})))));
        nodes.add(node("half", "Constant", List.of(), "half", Map.of("value_float", new Attribute.Float(0.5f))));
        nodes.add(node("add", "Add", List.of("x", "offsets"), "a", Map.of()));
        nodes.add(node("mul", "Mul", List.of("a", "scales"), "b", Map.of()));
        nodes.add(node("leaky", "LeakyRelu", List.of("b"), "c", Map.of("alpha", new Attribute.Float(0.1f))));
        nodes.add(node("halve", "Mul", List.of("c", "half"), "d", Map.of()));
        nodes.add(node("clip", "Clip", List.of("d", "", "clip_max"), "e", Map.of()));
        nodes.add(node("reshape", "Reshape", List.of("e", "shape"), "f", Map.of()));
        nodes.add(node("transpose", "Transpose", List.of("f"), "y", Map.of("perm", new Attribute.Ints(new long[] {0, 2, 1}))));
        nodes.add(node("k", "Constant", List.of(), "k", Map.of("value_ints", new Attribute.Ints(new long[] {4, 5, 6}))));
        nodes.add(node("i", "Constant", List.of(), "i", Map.of("value_int", new Attribute.Int(7))));
        nodes.add(node("s", "Constant", List.of(), "s", Map.of("value_string", new Attribute.Str("verity"))));
        TreeMap<String, TensorData> initializers = new TreeMap<>();
        initializers.put("clip_max", TensorData.ofFloats("clip_max", new long[0], new float[] {0.75f}));
        initializers.put("shape", TensorData.ofLongs("shape", DataType.INT64, new long[] {3}, new long[] {-1, 3, 1}));
        return new Graph("attributes", 8, 13, List.of(new ValueInfo("x", DataType.FLOAT, List.of(-1L, 3L))),
                List.of(new ValueInfo("y", DataType.FLOAT, List.of(-1L, 1L, 3L)), new ValueInfo("k", DataType.INT64, List.of(3L)),
                        new ValueInfo("i", DataType.INT64, List.of()), new ValueInfo("s", DataType.STRING, List.of())),
                nodes, initializers);
    }

    private static Node node(String name, String op, List<String> inputs, String output, Map<String, Attribute> attributes) {
        return new Node(name, op, inputs, List.of(output), new TreeMap<>(attributes));
    }
}
