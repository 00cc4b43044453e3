package dev.verity.modelhub.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.onnx.Proto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own behaviour on hand-made test folders: it reports, it never throws. */
class ConformanceRunnerTest {
    @TempDir
    Path dir;

    private static byte[] reluModel(String op) {
        Proto graph = Proto.graph("g")
                .message(1, Proto.node(op, "n", new String[] {"x"}, new String[] {"y"}))
                .message(11, Proto.valueInfo("x", Proto.FLOAT, 3))
                .message(12, Proto.valueInfo("y", Proto.FLOAT, 3));
        return Proto.model(13, graph).toByteArray();
    }

    private Path testFolder(String name, byte[] model, float[] input, float[] expected) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.write(folder.resolve("model.onnx"), model);
        Path data = Files.createDirectories(folder.resolve("test_data_set_0"));
        Files.write(data.resolve("input_0.pb"), Proto.rawFloatTensor("x", new long[] {3}, input).toByteArray());
        Files.write(data.resolve("output_0.pb"), Proto.rawFloatTensor("y", new long[] {3}, expected).toByteArray());
        return folder;
    }

    @Test
    void reportsPassFailAndUnsupportedWithoutThrowing() throws IOException {
        testFolder("test_pass", reluModel("Relu"), new float[] {-1, 0, 2}, new float[] {0, 0, 2});
        testFolder("test_wrong", reluModel("Relu"), new float[] {-1, 0, 2}, new float[] {0, 0, 2.5f});
        testFolder("test_unsupported", reluModel("NonMaxSuppression"), new float[3], new float[3]);
        Path garbage = Files.createDirectories(dir.resolve("test_garbage"));
        Files.write(garbage.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});
        Path noData = Files.createDirectories(dir.resolve("test_no_data"));
        Files.write(noData.resolve("model.onnx"), reluModel("Relu"));
        Path badInput = testFolder("test_bad_input", reluModel("Relu"), new float[3], new float[3]);
        Files.write(badInput.resolve("test_data_set_0/input_0.pb"), new byte[] {(byte) 0xFF});
        Files.createDirectories(dir.resolve("not_a_test"));

        ConformanceReport report = new ConformanceRunner().run(dir);
        assertThat(report.tests()).extracting(TestResult::name).containsExactly("test_bad_input", "test_garbage",
                "test_no_data", "test_pass", "test_unsupported", "test_wrong");
        assertThat(report.passed()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(4);
        assertThat(report.unsupported()).isEqualTo(1);
        TestResult wrong = report.tests().get(5);
        assertThat(wrong.status()).isEqualTo(TestResult.FAIL);
        assertThat(wrong.maxError()).isEqualTo(0.5);
        assertThat(wrong.message()).contains("output 'y'").contains("expected 2.5, got 2.0");
        assertThat(wrong.integerMaxError()).isNull();
        TestResult unsupported = report.tests().get(4);
        assertThat(unsupported.unsupportedOps()).containsExactly("NonMaxSuppression");
        assertThat(report.unsupportedOperatorCounts()).containsEntry("NonMaxSuppression", 1);
        assertThat(report.tests().get(1).message()).contains("cannot parse");
        assertThat(report.tests().get(2).message()).contains("no test_data_set_");
        assertThat(report.tests().get(3).maxError()).isEqualTo(0.0);
    }

    @Test
    void comparesLikeAssertAllclose() {
        TensorData expected = TensorData.ofFloats("y", new long[] {4}, new float[] {
            1000f, Float.NaN, Float.POSITIVE_INFINITY, 0f});
        // |a - e| <= 1e-7 + 1e-3 * |e|: 1000.9 is within, NaN matches NaN, infinity matches itself
        FloatTensor close = FloatTensor.of(new float[] {1000.9f, Float.NaN, Float.POSITIVE_INFINITY, 0f}, 4);
        assertThat(ConformanceRunner.compare(expected, close).problem()).isNull();
        FloatTensor far = FloatTensor.of(new float[] {1001.2f, Float.NaN, Float.POSITIVE_INFINITY, 0f}, 4);
        assertThat(ConformanceRunner.compare(expected, far).problem()).contains("1 of 4 values differ");
        FloatTensor tiny = FloatTensor.of(new float[] {1000f, Float.NaN, Float.POSITIVE_INFINITY, 1e-6f}, 4);
        assertThat(ConformanceRunner.compare(expected, tiny).problem()).isNotNull(); // atol is 1e-7
        FloatTensor nan = FloatTensor.of(new float[] {1000f, 1f, Float.POSITIVE_INFINITY, 0f}, 4);
        assertThat(ConformanceRunner.compare(expected, nan).problem()).isNotNull();
        FloatTensor shape = FloatTensor.of(new float[] {1000f, Float.NaN, Float.POSITIVE_INFINITY, 0f}, 2, 2);
        assertThat(ConformanceRunner.compare(expected, shape).problem()).contains("expected shape [4]");
        TensorData ints = TensorData.ofLongs("i", DataType.INT64, new long[] {2}, new long[] {1, 2});
        assertThat(ConformanceRunner.compare(ints, FloatTensor.ofInt64(new int[] {2}, new long[] {1, 2})).problem())
                .isNull();
        assertThat(ConformanceRunner.compare(ints, FloatTensor.ofInt64(new int[] {2}, new long[] {1, 3})).problem())
                .contains("1 of 2 values differ");
        assertThat(ConformanceRunner.compare(ints, FloatTensor.of(new float[] {1, 2}, 2)).problem())
                .contains("expected element type INT64, got FLOAT");
    }
}
