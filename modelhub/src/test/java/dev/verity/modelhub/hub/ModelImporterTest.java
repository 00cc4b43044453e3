package dev.verity.modelhub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.onnx.OnnxParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ModelImporterTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelImporterTest.class.getResourceAsStream("/models/" + name)) {
            assertThat(in).as("bundled model %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits-mlp.onnx", "digits-cnn.onnx"})
    void theShippedDigitsModelsQuantizeWithinOnePointOfFloatAccuracy(String file) throws IOException {
        byte[] onnx = resource(file);
        Graph graph = new OnnxParser().parse(onnx);
        var imported = ModelImporter.importModel(onnx, ExampleFiles.read("digits:train", graph),
                ExampleFiles.read("digits:test", graph), ModelImporter.Options.named(file.replace(".onnx", "")));
        var acc = imported.accuracy();
        System.out.printf("%s: float %.2f%%, integer %.2f%% on %d test digits%n", file, acc.floatBps() / 100.0,
                acc.integerBps() / 100.0, acc.examples());
        assertThat(acc.examples()).isEqualTo(359);
        assertThat(acc.floatBps()).isGreaterThanOrEqualTo(9_500);
        assertThat(Math.abs(acc.floatBps() - acc.integerBps())).as("integer vs float accuracy, basis points").isLessThanOrEqualTo(100);
        ModelPackage pkg = imported.modelPackage();
        assertThat(pkg.metadata().calibrationAccuracyBps()).isEqualTo(acc.integerBps());
        assertThat(ModelPackage.decode(pkg.encode()).id()).isEqualTo(pkg.id());
    }

    @Test
    void theSameInputsGiveTheSamePackageBytes() throws IOException {
        byte[] onnx = resource("digits-mlp.onnx");
        Graph graph = new OnnxParser().parse(onnx);
        Examples calibration = ExampleFiles.read("digits:train", graph).first(64);
        byte[] a = ModelImporter.importModel(onnx, calibration, Examples.none(), ModelImporter.Options.named("m")).modelPackage().encode();
        byte[] b = ModelImporter.importModel(onnx, calibration, Examples.none(), ModelImporter.Options.named("m")).modelPackage().encode();
        assertThat(Arrays.equals(a, b)).isTrue();
    }

    @Test
    void importWithoutCalibrationIsRefused() throws IOException {
        assertThatThrownBy(() -> ModelImporter.importModel(resource("digits-mlp.onnx"), Examples.none(), Examples.none(),
                ModelImporter.Options.named("m"))).hasMessageContaining("calibration");
    }
}
