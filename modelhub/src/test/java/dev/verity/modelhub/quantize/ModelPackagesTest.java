package dev.verity.modelhub.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.graph.Graph;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelPackagesTest {

    @Test
    void packagesAQuantizedModelCanonically() {
        Graph g = TestGraphs.cnn(3);
        QuantizedModel qm = new Quantizer().quantize(g, Calibrator.calibrate(g, TestGraphs.inputs(1, 16, "x", 1, 3, 8, 8)));
        byte[] onnx = "onnx bytes".getBytes(StandardCharsets.UTF_8);
        ModelPackage a = ModelPackages.build("cnn", onnx, g, qm, ModelPackages.basisPoints(97, 100), 9800);
        ModelPackage b = ModelPackages.build("cnn", onnx, g, qm, 9700, 9800);
        assertThat(a.encode()).isEqualTo(b.encode());
        assertThat(a.id()).isEqualTo(b.id());
        ModelPackage back = ModelPackage.decode(a.encode());
        assertThat(back.metadata().computeUnits()).isEqualTo(8 * 3 * 3 * 3 + 10 * 128);
        assertThat(back.metadata().operators()).containsExactly("Conv", "Flatten", "Gemm", "MaxPool", "Relu");
        assertThat(back.metadata().inputs().get(0).shape()).containsExactly(1, 3, 8, 8);
        assertThat(back.metadata().calibrationAccuracyBps()).isEqualTo(9700);
        assertThat(new IntegerEngine(back.program(), EngineOptions.VECTORIZED).plan()).isNotEmpty();
    }
}
