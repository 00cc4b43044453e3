package dev.verity.compute.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.verity.service.model.ModelStore;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** {@code --device}: auto, cpu and cuda[:N], judged by the execution providers ONNX Runtime offers. */
class DeviceTest {
    static final EnumSet<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
    static final EnumSet<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);

    @Test
    void autoTakesTheGpuWhenOnnxRuntimeOffersCudaAndOtherwiseTheCpuSayingWhatToInstall() {
        Device.Choice gpu = Device.choose("auto", WITH_CUDA);
        assertThat(gpu.device()).isEqualTo(new Device.Cuda(0));
        Device.Choice cpu = Device.choose("auto", CPU_ONLY);
        assertThat(cpu.device()).isEqualTo(new Device.Cpu());
        assertThat(cpu.why()).contains("no CUDA execution provider", "onnxruntime_gpu", "CUDA");
    }

    @Test
    void cudaIsRefusedWithWhatToInstallWhenOnnxRuntimeHasNoCudaProvider() {
        assertThatThrownBy(() -> Device.choose("cuda:1", CPU_ONLY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no CUDA execution provider").hasMessageContaining("--device cpu");
        assertThat(Device.choose("cuda:1", WITH_CUDA).device()).isEqualTo(new Device.Cuda(1));
        assertThat(Device.choose("CUDA", WITH_CUDA).device().describe()).isEqualTo("cuda:0");
        assertThat(Device.choose("cpu", WITH_CUDA).device()).isEqualTo(new Device.Cpu());
    }

    @Test
    void badValuesAreRefusedNamingTheForms() {
        assertThatThrownBy(() -> Device.choose("gpu", WITH_CUDA)).hasMessageContaining("auto, cpu, cuda or cuda:N");
        assertThatThrownBy(() -> Device.choose("cuda:x", WITH_CUDA)).hasMessageContaining("GPU index");
        assertThatThrownBy(() -> Device.choose("cuda:-1", WITH_CUDA)).hasMessageContaining("0 or more");
    }

    @Test
    void thisBuildRunsTheBundledModelOnTheDeviceAutoChooses(@org.junit.jupiter.api.io.TempDir Path dir) {
        Device.Choice choice = Device.choose("auto");
        assertThat(OrtEnvironment.getAvailableProviders()).contains(OrtProvider.CPU);
        BundledModels.BundledModel miniLm = BundledModels.installMiniLm(new ModelStore(dir));
        try (SentenceEmbeddingRunner runner = SentenceEmbeddingRunner.open(miniLm.modelPath(), miniLm.tokenizerPath(),
                choice.device())) {
            assertThat(runner.run("A GPU or a CPU gives an embedding.".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .hasSize(384 * 4);
        }
    }
}
