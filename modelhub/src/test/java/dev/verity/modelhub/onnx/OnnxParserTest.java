package dev.verity.modelhub.onnx;

import static dev.verity.modelhub.onnx.Proto.FLOAT;
import static dev.verity.modelhub.onnx.Proto.INT64;
import static dev.verity.modelhub.onnx.Proto.floatAttr;
import static dev.verity.modelhub.onnx.Proto.floatsAttr;
import static dev.verity.modelhub.onnx.Proto.graph;
import static dev.verity.modelhub.onnx.Proto.intAttr;
import static dev.verity.modelhub.onnx.Proto.intsAttr;
import static dev.verity.modelhub.onnx.Proto.message;
import static dev.verity.modelhub.onnx.Proto.model;
import static dev.verity.modelhub.onnx.Proto.node;
import static dev.verity.modelhub.onnx.Proto.rawFloatTensor;
import static dev.verity.modelhub.onnx.Proto.stringAttr;
import static dev.verity.modelhub.onnx.Proto.tensorAttr;
import static dev.verity.modelhub.onnx.Proto.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxParserTest {
    private final OnnxParser parser = new OnnxParser();

    private static String[] names(String... names) {
        return names;
    }

    /** x [batch, 3] -> Gemm(w [2, 3] raw_data, b [2] float_data, transB) -> Relu -> y [batch, 2]. */
    private static Proto gemmReluGraph() {
        return graph("tiny")
                .message(1, node("Gemm", "fc", names("x", "w", "b"), names("h"), intAttr("transB", 1),
                        floatAttr("alpha", 0.5f)))
                .message(1, node("Relu", "", names("h"), names("y")))
                .message(5, rawFloatTensor("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
                .message(5, Proto.floatDataTensor("b", new long[] {2}, 0.5f, -0.5f))
                .message(11, valueInfo("x", FLOAT, -1, 3))
                .message(11, valueInfo("w", FLOAT, 2, 3)) // an initializer also listed as input (IR < 4 style)
                .message(12, valueInfo("y", FLOAT, -1, 2));
    }

    @Test
    void parsesAGraph() {
        Graph g = parser.parse(model(13, gemmReluGraph()).toByteArray());
        assertThat(g.name()).isEqualTo("tiny");
        assertThat(g.irVersion()).isEqualTo(8);
        assertThat(g.opsetVersion()).isEqualTo(13);
        assertThat(g.inputs()).hasSize(1); // the initializer w is not an input
        assertThat(g.inputs().get(0).name()).isEqualTo("x");
        assertThat(g.inputs().get(0).type()).isEqualTo(DataType.FLOAT);
        assertThat(g.inputs().get(0).dims()).containsExactly(-1L, 3L);
        assertThat(g.outputs().get(0).dims()).containsExactly(-1L, 2L);
        assertThat(g.operators()).containsExactly("Gemm", "Relu");
        Node gemm = g.nodes().get(0);
        assertThat(gemm.name()).isEqualTo("fc");
        assertThat(gemm.inputs()).containsExactly("x", "w", "b");
        assertThat(gemm.intAttr("transB", 0)).isEqualTo(1);
        assertThat(gemm.floatAttr("alpha", 1)).isEqualTo(0.5f);
        TensorData w = g.initializers().get("w");
        assertThat(w.dims()).containsExactly(2, 3);
        assertThat(w.floats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(g.initializers().get("b").floats()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void parsesEveryAttributeType() {
        Proto g = graph("attrs")
                .message(1, node("Constant", "c", names(), names("k"),
                        tensorAttr("value", Proto.int64Tensor("", new long[] {2}, 7, -8))))
                .message(1, node("Custom", "n", names("x", "k"), names("y"), intAttr("i", -3), floatAttr("f", 1.5f),
                        intsAttr("is", 1, -2, 3), floatsAttr("fs", 0.25f, -4f), stringAttr("s", "SAME_UPPER")))
                .message(11, valueInfo("x", FLOAT, 1))
                .message(12, valueInfo("y", FLOAT, 1));
        Graph graph = parser.parse(model(17, g).toByteArray());
        Node n = graph.nodes().get(1);
        assertThat(n.intAttr("i", 0)).isEqualTo(-3);
        assertThat(n.floatAttr("f", 0)).isEqualTo(1.5f);
        assertThat(n.intsAttr("is", null)).containsExactly(1, -2, 3);
        assertThat(((Attribute.Floats) n.attributes().get("fs")).values()).containsExactly(0.25f, -4f);
        assertThat(n.stringAttr("s", "")).isEqualTo("SAME_UPPER");
        TensorData k = ((Attribute.Tensor) graph.nodes().get(0).attributes().get("value")).value();
        assertThat(k.type()).isEqualTo(DataType.INT64);
        assertThat(k.longs()).containsExactly(7, -8);
    }

    @Test
    void acceptsUnpackedRepeatedFields() {
        Proto tensor = message().varint(1, 2).varint(1, 1).varint(2, INT64).varint(7, 5).varint(7, -6).string(8, "t");
        TensorData t = parser.parseTensor(tensor.toByteArray());
        assertThat(t.dims()).containsExactly(2, 1);
        assertThat(t.longs()).containsExactly(5, -6);
    }

    @Test
    void parsesTensorFiles() {
        Proto tensor = rawFloatTensor("x", new long[] {1, 2}, Float.NaN, Float.NEGATIVE_INFINITY);
        TensorData t = parser.parseTensor(tensor.toByteArray());
        assertThat(t.name()).isEqualTo("x");
        assertThat(t.dims()).containsExactly(1, 2);
        assertThat(t.floats()[0]).isNaN(); // test data may hold NaN; only weights may not
        byte[] uint8 = message().packedLongs(1, 3).varint(2, 2).bytes(9, new byte[] {0, (byte) 200, 7}).toByteArray();
        assertThat(parser.parseTensor(uint8).longs()).containsExactly(0, 200, 7);
        byte[] int8 = message().packedLongs(1, 2).varint(2, 3).bytes(9, new byte[] {-1, 5}).toByteArray();
        assertThat(parser.parseTensor(int8).longs()).containsExactly(-1, 5);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void refusesMalformedBytes() {
        byte[] garbage = new byte[64];
        new Random(1).nextBytes(garbage);
        garbage[0] = (byte) 0xFF; // an invalid tag's wire type
        assertThatThrownBy(() -> parser.parse(garbage)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("not a valid ONNX model");
        assertThatThrownBy(() -> parser.parse("hello, this is text".getBytes()))
                .isInstanceOf(OnnxFormatException.class);
        assertThatThrownBy(() -> parser.parse(new byte[0])).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void refusesTruncatedFiles() {
        byte[] whole = model(13, gemmReluGraph()).toByteArray();
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> parser.parse(cut)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void refusesWrongWireTypes() {
        byte[] bytes = message().string(1, "eight").message(7, gemmReluGraph()).toByteArray();
        assertThatThrownBy(() -> parser.parse(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("ModelProto.ir_version").hasMessageContaining("wire type LENGTH_DELIMITED")
                .hasMessageContaining("expected VARINT");
    }

    @Test
    void refusesAModelWithoutGraph() {
        byte[] bytes = message().varint(1, 8).message(8, message().varint(2, 13)).toByteArray();
        assertThatThrownBy(() -> parser.parse(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("no graph");
    }

    @Test
    void refusesANodeWithoutOpType() {
        Proto g = graph("g").message(1, node("", "nameless", names("x"), names("y")))
                .message(11, valueInfo("x", FLOAT, 1)).message(12, valueInfo("y", FLOAT, 1));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("node #0 ('nameless') has no op_type");
    }

    @Test
    void refusesInitializerDataOfTheWrongLength() {
        Proto g = graph("g").message(1, node("Relu", "r", names("w"), names("y")))
                .message(5, rawFloatTensor("w", new long[] {2, 3}, 1, 2, 3, 4, 5)) // 5 values for 6 elements
                .message(12, valueInfo("y", FLOAT, 2, 3));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer 'w' has dims [2, 3] (6 elements) but its raw_data holds 20 bytes");
        Proto g2 = graph("g").message(1, node("Relu", "r", names("w"), names("y")))
                .message(5, Proto.floatDataTensor("w", new long[] {4}, 1, 2, 3))
                .message(12, valueInfo("y", FLOAT, 4));
        assertThatThrownBy(() -> parser.parse(model(13, g2).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer 'w' has dims [4] (4 elements) but 3 values in float_data");
    }

    @Test
    void refusesNonFiniteWeights() {
        float[] values = new float[16];
        values[12] = Float.NaN;
        Proto g = graph("g").message(1, node("Relu", "r", names("w"), names("y")))
                .message(5, rawFloatTensor("w", new long[] {16}, values)).message(12, valueInfo("y", FLOAT, 16));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer 'w' holds NaN at index 12");
        values[12] = 0;
        values[3] = Float.NEGATIVE_INFINITY;
        Proto g2 = graph("g").message(1, node("Relu", "r", names("w"), names("y")))
                .message(5, Proto.floatDataTensor("w", new long[] {16}, values)).message(12, valueInfo("y", FLOAT, 16));
        assertThatThrownBy(() -> parser.parse(model(13, g2).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer 'w' holds -Infinity at index 3");
    }

    @Test
    void enforcesTheLimits() {
        byte[] bytes = model(13, gemmReluGraph()).toByteArray();
        OnnxParser smallTensors = new OnnxParser(new OnnxLimits(1 << 20, 4, 10));
        assertThatThrownBy(() -> smallTensors.parse(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer 'w' has 6 elements").hasMessageContaining("over the limit of 4");
        // a tensor whose dims claim far more elements than the limit is refused before anything is allocated
        byte[] huge = message().packedLongs(1, 1 << 20, 1 << 20).varint(2, FLOAT).string(8, "big").toByteArray();
        assertThatThrownBy(() -> parser.parseTensor(huge)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("1099511627776 elements").hasMessageContaining("over the limit");
        OnnxParser smallModels = new OnnxParser(new OnnxLimits(100, 1000, 10));
        assertThatThrownBy(() -> smallModels.parse(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("model is " + bytes.length + " bytes, over the limit of 100 bytes");
        OnnxParser fewNodes = new OnnxParser(new OnnxLimits(1 << 20, 1000, 1));
        assertThatThrownBy(() -> fewNodes.parse(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("more than 1 nodes");
        assertThatThrownBy(() -> new OnnxLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOperatorsOfOtherDomains() {
        Proto custom = node("FusedGemm", "f", names("x"), names("y")).string(7, "com.microsoft");
        Proto g = graph("g").message(1, custom).message(11, valueInfo("x", FLOAT, 1))
                .message(12, valueInfo("y", FLOAT, 1));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("FusedGemm").hasMessageContaining("domain 'com.microsoft'")
                .satisfies(e -> assertThat(((UnsupportedModelException) e).opType()).isEqualTo("FusedGemm"));
        // the explicit default domain is fine
        Proto onnx = node("Relu", "r", names("x"), names("y")).string(7, "ai.onnx");
        Proto g2 = graph("g").message(1, onnx).message(11, valueInfo("x", FLOAT, 1))
                .message(12, valueInfo("y", FLOAT, 1));
        assertThat(parser.parse(model(13, g2).toByteArray()).operators()).containsExactly("Relu");
    }

    @Test
    void refusesNodesOutOfTopologicalOrder() {
        Proto g = graph("g")
                .message(1, node("Relu", "second", names("h"), names("y")))
                .message(1, node("Relu", "first", names("x"), names("h")))
                .message(11, valueInfo("x", FLOAT, 1)).message(12, valueInfo("y", FLOAT, 1));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("not in topological order")
                .hasMessageContaining("Relu node 'second'").hasMessageContaining("reads 'h'");
    }

    @Test
    void refusesUnsupportedElementTypes() {
        byte[] half = message().packedLongs(1, 2).varint(2, Proto.FLOAT16).packedLongs(5, 1, 2).string(8, "h")
                .toByteArray();
        assertThatThrownBy(() -> parser.parseTensor(half)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("FLOAT16");
        byte[] bfloat = message().packedLongs(1, 1).varint(2, 16).bytes(9, new byte[2]).toByteArray();
        assertThatThrownBy(() -> parser.parseTensor(bfloat)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("BFLOAT16");
    }

    @Test
    void refusesGraphOutputsNothingProduces() {
        Proto g = graph("g").message(1, node("Relu", "r", names("x"), names("y")))
                .message(11, valueInfo("x", FLOAT, 1)).message(12, valueInfo("z", FLOAT, 1));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("graph output 'z' is not produced");
    }

    @Test
    void refusesSubgraphAttributes() {
        Proto branch = message().string(1, "then_branch").varint(20, 5).message(6, graph("inner"));
        Proto g = graph("g").message(1, node("If", "if", names("c"), names("y"), branch))
                .message(11, valueInfo("c", 9)).message(12, valueInfo("y", FLOAT, 1));
        assertThatThrownBy(() -> parser.parse(model(13, g).toByteArray()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("attribute 'then_branch'").hasMessageContaining("GRAPH");
    }

    @Test
    void namesNoDataTypeFieldsItDoesNotKnow() {
        assertThat(OnnxParser.dataTypeName(16)).isEqualTo("BFLOAT16");
        assertThat(OnnxParser.dataTypeName(99)).isEqualTo("UNKNOWN(99)");
        assertThat(List.of(DataType.values())).containsAll(OnnxParser.SUPPORTED_TENSOR_TYPES);
    }
}
