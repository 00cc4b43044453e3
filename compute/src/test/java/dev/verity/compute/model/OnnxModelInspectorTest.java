package dev.verity.compute.model;

import static dev.verity.compute.model.OnnxTestModels.initializer;
import static dev.verity.compute.model.OnnxTestModels.model;
import static dev.verity.compute.model.OnnxTestModels.node;
import static dev.verity.compute.model.OnnxTestModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.compute.model.OnnxTestModels.Msg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelInspectorTest {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private static byte[] miniLm;
    private final OnnxModelInspector inspector = new OnnxModelInspector();

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadModel() {
        miniLm = OnnxTestModels.miniLmModel();
    }

    @Test
    void bundledMiniLmIsAValidModel() throws IOException {
        Path file = Files.write(tmp.resolve("minilm.onnx"), miniLm);
        OnnxModelInfo info = inspector.inspect(file);

        assertThat(info.irVersion()).isPositive();
        assertThat(info.opsetVersion()).isPositive();
        assertThat(info.inputs()).extracting(TensorSpec::name)
                .containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
        assertThat(info.inputs()).allSatisfy(i -> {
            assertThat(i.elementType()).isEqualTo("INT64");
            assertThat(i.rank()).isEqualTo(2);
        });
        assertThat(info.outputs()).isNotEmpty();
        TensorSpec hidden = info.outputs().get(0);
        assertThat(hidden.elementType()).isEqualTo("FLOAT");
        assertThat(hidden.shape()).hasSize(3).last().isEqualTo("384");
        assertThat(info.operators()).isNotEmpty().isSorted().doesNotHaveDuplicates().contains("MatMulInteger");
        assertThat(info.nodeCount()).isGreaterThan(info.operators().size());
        // ~22.7M parameters: 30522 x 384 token embeddings plus six layers of ~1.8M weights each.
        assertThat(info.parameterCount()).isBetween(20_000_000L, 25_000_000L);
        // Six layers of four 384x384 projections and a 384x1536 + 1536x384 feed-forward: 6 x 1,769,472.
        assertThat(info.computeUnits()).isEqualTo(6L * (4 * 384 * 384 + 2 * 384 * 1536));

        assertThat(inspector.inspect(miniLm)).isEqualTo(info);
    }

    @Test
    void randomBytesAreRejected() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        assertInvalid(noise);
    }

    @Test
    void textIsRejected() {
        assertInvalid("This is a README, not a neural network.\nIt has two lines.\n".getBytes(StandardCharsets.UTF_8));
        assertInvalid("{\"ir_version\": 9, \"graph\": {}}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.onnx"));
        assertThatThrownBy(() -> inspector.inspect(empty))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not a valid ONNX model: the file is empty");
        assertInvalid(new byte[0]);
    }

    @Test
    void truncatedModelIsRejected() throws IOException {
        byte[] head = Arrays.copyOf(miniLm, 1000);
        assertInvalid(head);
        Path file = Files.write(tmp.resolve("truncated.onnx"), head);
        assertThatThrownBy(() -> inspector.inspect(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not a valid ONNX model: malformed protobuf");
        // Cut near the end too, inside the last fields of the graph.
        assertInvalid(Arrays.copyOf(miniLm, miniLm.length - 10));
    }

    @Test
    void modelWithoutGraphOrNodesIsRejected() {
        assertThatThrownBy(() -> inspector.inspect(model(null).toBytes()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not a valid ONNX model: the model has no graph");
        Msg emptyGraph = new Msg().string(2, "g").msg(12, valueInfo("y", FLOAT, 1));
        assertThatThrownBy(() -> inspector.inspect(model(emptyGraph).toBytes()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("not a valid ONNX model: the graph has no nodes");
        Msg graph = new Msg().msg(1, node("Relu", List.of("x"), List.of("y"))).msg(12, valueInfo("y", FLOAT, 1));
        byte[] noIrVersion = new Msg().msg(7, graph).toBytes();
        assertThatThrownBy(() -> inspector.inspect(noIrVersion))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ir_version");
    }

    @Test
    void wrongWireTypeIsRejected() {
        byte[] graphAsVarint = new Msg().varint(1, 9).varint(7, 3).toBytes();
        assertThatThrownBy(() -> inspector.inspect(graphAsVarint))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ModelProto.graph has wire type 0");
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() throws IOException {
        Path file = Files.write(tmp.resolve("big.onnx"), new byte[1000]);
        OnnxModelInspector small = new OnnxModelInspector(999);
        assertThatThrownBy(() -> small.inspect(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model is 1000 bytes, over the limit of 999 bytes");
        assertThatThrownBy(() -> small.inspect(new byte[1000])).isInstanceOf(InvalidModelException.class);
        assertThatThrownBy(() -> new OnnxModelInspector(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void computeUnitsCountWeightsOfMatrixProducts() {
        Msg graph = new Msg()
                .msg(1, node("MatMul", List.of("x", "w1"), List.of("h")))          // 4x3 weight: 12
                .msg(1, node("Add", List.of("h", "b1"), List.of("h2")))            // bias: not a product
                .msg(1, node("MatMul", List.of("h2", "h2t"), List.of("s")))        // activation x activation
                .msg(1, node("Gemm", List.of("s", "w2", "b2"), List.of("y")))       // 3x2 weight: 6
                .msg(5, initializer("w1", 4, 3))
                .msg(5, initializer("b1", 3))
                .msg(5, initializer("w2", 3, 2))
                .msg(5, initializer("b2", 2))
                .msg(11, valueInfo("x", FLOAT, "batch", 4))
                .msg(11, valueInfo("w1", FLOAT, 4, 3)) // an initializer listed as input is not a feed
                .msg(12, valueInfo("y", FLOAT, "batch", 2));
        OnnxModelInfo info = inspector.inspect(model(graph).toBytes());

        assertThat(info.irVersion()).isEqualTo(9);
        assertThat(info.opsetVersion()).isEqualTo(17);
        assertThat(info.nodeCount()).isEqualTo(4);
        assertThat(info.operators()).containsExactly("Add", "Gemm", "MatMul");
        assertThat(info.parameterCount()).isEqualTo(12 + 3 + 6 + 2);
        assertThat(info.computeUnits()).isEqualTo(12 + 6);
        assertThat(info.inputs()).containsExactly(new TensorSpec("x", "FLOAT", List.of("batch", "4")));
        assertThat(info.outputs()).containsExactly(new TensorSpec("y", "FLOAT", List.of("batch", "2")));
    }

    @Test
    void computeUnitsFollowDequantizedWeightsAndQLinearSlots() {
        Msg graph = new Msg()
                .msg(1, node("DequantizeLinear", List.of("wq", "s", "z"), List.of("w")))
                .msg(1, node("MatMul", List.of("x", "w"), List.of("h")))                         // 8x8: 64
                .msg(1, node("QLinearMatMul", List.of("h", "s", "z", "w2", "s", "z", "s", "z"),
                        List.of("y")))                                                           // 8x2: 16
                .msg(5, initializer("wq", 8, 8))
                .msg(5, initializer("w2", 8, 2))
                .msg(5, initializer("s"))
                .msg(5, initializer("z"))
                .msg(11, valueInfo("x", INT64, 1, 8))
                .msg(12, valueInfo("y", FLOAT, 1, 2));
        OnnxModelInfo info = inspector.inspect(model(graph).toBytes());
        assertThat(info.computeUnits()).isEqualTo(64 + 16);
        assertThat(info.parameterCount()).isEqualTo(64 + 16 + 1 + 1);
    }

    @Test
    void computeUnitsFallBackToParametersThenToOne() {
        Msg noProducts = new Msg()
                .msg(1, node("Add", List.of("x", "b"), List.of("y")))
                .msg(5, initializer("b", 5))
                .msg(12, valueInfo("y", FLOAT, 5));
        assertThat(inspector.inspect(model(noProducts).toBytes()).computeUnits()).isEqualTo(5);

        Msg noWeights = new Msg()
                .msg(1, node("Relu", List.of("x"), List.of("y")))
                .msg(12, valueInfo("y", FLOAT, 5));
        OnnxModelInfo info = inspector.inspect(model(noWeights).toBytes());
        assertThat(info.parameterCount()).isZero();
        assertThat(info.computeUnits()).isEqualTo(1);
    }

    private void assertInvalid(byte[] bytes) {
        assertThatThrownBy(() -> inspector.inspect(bytes))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("not a valid ONNX model: ");
    }
}
