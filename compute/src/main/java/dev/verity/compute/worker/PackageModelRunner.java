package dev.verity.compute.worker;

import dev.verity.compute.model.Device;
import dev.verity.compute.model.OnnxRuntimeRunner;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.protocol.VerificationMode;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Runs a model package: ONNX Runtime on the package's ONNX graph for the trusted modes, the
 * bit-exact integer engine for provable modes (or for every mode under {@link EnginePolicy#INTEGER_ALWAYS}).
 */
final class PackageModelRunner implements ModelRunner {
    static final String SUFFIX = ModelStore.PACKAGE_SUFFIX;

    private final PackageRunner packageRunner;
    private final OnnxRuntimeRunner onnxRuntime;
    private final EnginePolicy policy;

    private PackageModelRunner(PackageRunner packageRunner, OnnxRuntimeRunner onnxRuntime, EnginePolicy policy) {
        this.packageRunner = packageRunner;
        this.onnxRuntime = onnxRuntime;
        this.policy = policy;
    }

    /** Loads {@code <hex>.vpkg} from the store; the store checks the file still hashes to its id. */
    static PackageModelRunner load(ModelStore store, String hex, EnginePolicy policy, Device device) {
        ModelPackage pkg;
        try {
            pkg = ModelPackage.decode(Files.readAllBytes(store.path(hex, SUFFIX)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model package " + hex, e);
        }
        PackageRunner runner = new PackageRunner(pkg, EngineOptions.VECTORIZED, 1);
        var input = pkg.metadata().inputs().get(0);
        OnnxRuntimeRunner ort = policy == EnginePolicy.INTEGER_ALWAYS ? null
                : new OnnxRuntimeRunner(pkg.onnx(), input.name(), shapeOf(runner), device);
        return new PackageModelRunner(runner, ort, policy);
    }

    private static int[] shapeOf(PackageRunner runner) {
        return runner.decodeInput(new byte[4 * runner.inputSize()]).shape();
    }

    @Override
    public byte[] run(byte[] input, VerificationMode mode) {
        if (policy.useIntegerEngine(mode) || onnxRuntime == null) {
            return packageRunner.runInteger(input);
        }
        return PackageRunner.encode(onnxRuntime.run(packageRunner.decodeInput(input).data()));
    }

    @Override
    public void close() {
        packageRunner.close();
        if (onnxRuntime != null) {
            onnxRuntime.close();
        }
    }
}
