package dev.verity.modelhub.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.modelhub.export.OrtRunner;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digits models shipped in {@code /models}: ONNX Runtime runs them and they classify at least 95%
 * of the digits test split correctly (which also shows that the export is right), and retraining with
 * the settings documented in {@code models/README.md} reproduces them byte for byte.
 */
class ShippedModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void shippedDigitsModelRunsInOnnxRuntimeAbove95Percent(String architecture) throws Exception {
        byte[] shipped = resource("/models/digits-" + architecture + ".onnx");
        assertThat(shipped.length).isBetween(1_000, 100_000);
        Dataset test = Digits.split().test();
        float[] batch = new float[test.size() * test.features()];
        for (int i = 0; i < test.size(); i++) {
            System.arraycopy(test.inputs()[i], 0, batch, i * test.features(), test.features());
        }
        long[] shape = architecture.equals("mlp") ? new long[] {test.size(), 64} : new long[] {test.size(), 1, 8, 8};
        float[] logits;
        try (OrtRunner ort = OrtRunner.load(shipped)) {
            logits = ort.run(Network.INPUT, batch, shape);
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] row = new float[10];
            System.arraycopy(logits, i * 10, row, 0, 10);
            if (Network.argmax(row) == test.labels()[i]) {
                correct++;
            }
        }
        double accuracy = (double) correct / test.size();
        assertThat(accuracy).as("ONNX Runtime accuracy of digits-%s", architecture).isGreaterThanOrEqualTo(0.95);

        TrainedModel retrained = ModelTraining.train("digits", architecture, TrainingOptions.defaults("digits", architecture));
        assertThat(retrained.onnx()).as("retraining with the documented settings reproduces the shipped file").isEqualTo(shipped);
        assertThat(retrained.testAccuracy()).isEqualTo(accuracy);
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ShippedModelsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
