package dev.verity.modelhub.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs ONNX's backend node tests and the PyTorch-converted model tests on the float engine: every test whose operators
 * and element types are all supported must pass (FAIL is never acceptable; UNSUPPORTED is reported).
 */
class ConformanceTest {
    private static ConformanceReport check(String directory, int minimumPasses) {
        ConformanceReport report = new ConformanceRunner().run(OnnxTestData.require(directory));
        System.out.println(directory + ": " + report.summary());
        System.out.println("  most frequent unsupported operators: " + report.unsupportedOperatorCounts().entrySet()
                .stream().limit(15).map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        String failures = report.failures().stream().map(t -> "  " + t.name() + ": " + t.message()
                + (t.maxError() == null ? "" : " (max error " + t.maxError() + ")"))
                .collect(Collectors.joining("\n"));
        assertThat(report.failed()).as("failed conformance tests in " + directory + ":\n" + failures).isZero();
        assertThat(report.passed()).as("passed tests in " + directory).isGreaterThan(minimumPasses);
        assertThat(report.passed() + report.failed() + report.unsupported()).isEqualTo(report.tests().size());
        return report;
    }

    @Test
    void nodeTestsOfSupportedOperatorsPass() {
        ConformanceReport report = check("node", 500);
        // spot checks that the suite really ran the operators the model hub depends on
        assertThat(report.tests().stream().filter(TestResult::passed).map(TestResult::name))
                .contains("test_conv_with_strides_padding", "test_gemm_all_attributes", "test_maxpool_2d_ceil",
                        "test_averagepool_2d_pads_count_include_pad", "test_softmax_axis_0", "test_reshape_negative_dim",
                        "test_batchnorm_example", "test_matmul_4d", "test_unsqueeze_negative_axes");
    }

    @Test
    void pytorchConvertedModelsPass() {
        ConformanceReport report = check("pytorch-converted", 75);
        // The integer engine's error is reported for every passing model the quantizer takes.
        var integer = report.tests().stream().filter(t -> t.integerMaxError() != null).toList();
        assertThat(integer.stream().map(TestResult::name)).contains("test_Conv2d", "test_Linear", "test_AvgPool2d");
        assertThat(integer).allSatisfy(t -> assertThat(t.integerMaxError()).isFinite().isGreaterThanOrEqualTo(0.0));
    }

    @Test
    void pytorchOperatorAndSimpleModelsDoNotFail() {
        check("pytorch-operator", 25);
        check("simple", 5);
    }
}
