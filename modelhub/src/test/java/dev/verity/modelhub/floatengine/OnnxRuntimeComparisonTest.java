package dev.verity.modelhub.floatengine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.verity.modelhub.conformance.OnnxTestData;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.onnx.OnnxParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float engine against ONNX Runtime on small conv/gemm/pool models of ONNX's test data, fed random inputs
 * (different from the stored test data): every output must agree within 1e-4. (ONNX Runtime 1.22 no longer runs
 * some operators of opsets below 7, so the old PyTorch exports of Linear, AvgPool and BatchNorm are not used.)
 */
class OnnxRuntimeComparisonTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {
        "node/test_conv_with_strides_padding",
        "node/test_conv_with_strides_and_asymmetric_padding",
        "node/test_conv_with_autopad_same",
        "node/test_basic_conv_with_padding",
        "node/test_gemm_all_attributes",
        "node/test_gemm_transposeB",
        "node/test_matmul_4d",
        "node/test_maxpool_2d_pads",
        "node/test_averagepool_2d_pads_count_include_pad",
        "node/test_batchnorm_example",
        "node/test_convtranspose_pads",
        "pytorch-converted/test_Conv2d",
        "pytorch-converted/test_Conv2d_groups",
        "pytorch-converted/test_Conv2d_depthwise_padded",
        "pytorch-converted/test_Conv2d_dilated",
        "pytorch-converted/test_Conv1d_stride",
        "node/test_gemm_default_matrix_bias",
        "pytorch-converted/test_MaxPool2d_stride_padding_dilation",
        "node/test_averagepool_2d_ceil",
        "node/test_maxpool_2d_ceil",
        "node/test_batchnorm_epsilon",
        "node/test_softmax_axis_1",
        "pytorch-converted/test_Softmax",
        "pytorch-converted/test_PixelShuffle",
        "pytorch-operator/test_operator_conv",
        "pytorch-operator/test_operator_maxpool",
    })
    void agreesWithOnnxRuntime(String test) throws IOException, OrtException {
        Path folder = OnnxTestData.require(test);
        byte[] model = Files.readAllBytes(folder.resolve("model.onnx"));
        Graph graph = new OnnxParser().parse(model);
        FloatEngine engine = new FloatEngine(graph);
        Random random = new Random(test.hashCode());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR); // no warnings about old opsets
            compare(test, graph, engine, random, env, env.createSession(model, options));
        }
    }

    private static void compare(String test, Graph graph, FloatEngine engine, Random random, OrtEnvironment env,
                                OrtSession opened) throws OrtException {
        try (OrtSession session = opened) {
            Map<String, FloatTensor> inputs = new HashMap<>();
            Map<String, OnnxTensor> ortInputs = new HashMap<>();
            try {
                for (ValueInfo input : graph.inputs()) {
                    assertThat(input.type()).isEqualTo(DataType.FLOAT);
                    int[] shape = input.dims().stream().mapToInt(d -> d < 0 ? 1 : Math.toIntExact(d)).toArray();
                    long[] longShape = input.dims().stream().mapToLong(d -> d < 0 ? 1 : d).toArray();
                    float[] values = new float[FloatTensor.of(new float[Shapes.size(shape)], shape).size()];
                    for (int i = 0; i < values.length; i++) {
                        double v = random.nextGaussian();
                        values[i] = (float) (input.name().equals("var") ? Math.abs(v) : v); // variances are >= 0
                    }
                    inputs.put(input.name(), FloatTensor.of(values, shape));
                    ortInputs.put(input.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(values), longShape));
                }
                Map<String, FloatTensor> ours = engine.run(inputs);
                try (OrtSession.Result theirs = session.run(ortInputs)) {
                    for (ValueInfo output : graph.outputs()) {
                        OnnxValue value = theirs.get(output.name()).orElseThrow();
                        OnnxTensor tensor = (OnnxTensor) value;
                        FloatBuffer buffer = tensor.getFloatBuffer();
                        float[] expected = new float[buffer.remaining()];
                        buffer.get(expected);
                        long[] expectedShape = tensor.getInfo().getShape();
                        FloatTensor actual = ours.get(output.name());
                        assertThat(actual.shape()).as(test + " output " + output.name() + " shape")
                                .containsExactly(java.util.Arrays.stream(expectedShape).mapToInt(Math::toIntExact)
                                        .toArray());
                        float[] got = actual.data();
                        double maxError = 0;
                        for (int i = 0; i < got.length; i++) {
                            maxError = Math.max(maxError, Math.abs((double) got[i] - expected[i]));
                        }
                        assertThat(maxError).as(test + " output " + output.name() + " max abs error")
                                .isLessThanOrEqualTo(TOLERANCE);
                    }
                }
            } finally {
                ortInputs.values().forEach(OnnxTensor::close);
            }
        }
    }
}
