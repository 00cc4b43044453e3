package dev.verity.bench;

import dev.verity.compute.model.OnnxRuntimeRunner;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.Kernels;
import dev.verity.inference.engine.OpOutput;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.hub.ExampleFiles;
import dev.verity.modelhub.hub.Examples;
import dev.verity.modelhub.hub.ModelImporter;
import dev.verity.modelhub.onnx.OnnxLimits;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.quantize.QuantizedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One inference of one digits test example (batch 1) on one thread, by each engine a node can use, for the shipped
 * digits MLP and CNN. The package is imported once per trial as {@code verity model import} does (calibration on the
 * first 256 examples of {@code digits:train}); each benchmark then runs the first {@code digits:test} example:
 * <ul>
 *   <li>{@link #integerVectorized}, {@link #integerScalar}: the integer engine as a job runs it
 *       ({@link IntegerEngine#run}: quantize the input, every step of the plan with the SHA-256 hash of the state
 *       after it, dequantize the output), with the Vector API kernels or the plain-Java ones;</li>
 *   <li>{@link #onnxRuntime}: ONNX Runtime on the same ONNX bytes ({@link OnnxRuntimeRunner}, one intra-op thread),
 *       input tensor creation and output copy included;</li>
 *   <li>{@link #floatReference}: the float reference engine ({@link FloatEngine}).</li>
 * </ul>
 * {@link #integerVectorizedUntraced} is a diagnostic: the same integer arithmetic (same kernels, same state
 * bookkeeping) without hashing any state, to show what the execution trace costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class InferenceEnginesBenchmark {
    static final int CALIBRATION_EXAMPLES = 256;

    @Param({"digits-mlp", "digits-cnn"})
    public String model;

    private QuantizedModel quantized;
    private IntegerEngine vectorized;
    private IntegerEngine scalar;
    private FloatEngine floatEngine;
    private OnnxRuntimeRunner runtime;
    private Map<String, FloatTensor> input;
    private float[] inputValues;
    private String outputName;

    @Setup(Level.Trial)
    public void importPackage() {
        byte[] onnx = resource("/models/" + model + ".onnx");
        Graph graph = new OnnxParser().parse(onnx);
        Examples calibration = ExampleFiles.read("digits:train", graph);
        ModelImporter.Imported imported = ModelImporter.importModel(onnx, calibration, Examples.none(),
                new ModelImporter.Options(model, OnnxLimits.DEFAULTS, CALIBRATION_EXAMPLES));
        quantized = imported.quantized();
        vectorized = new IntegerEngine(imported.modelPackage().program(), EngineOptions.VECTORIZED);
        scalar = new IntegerEngine(imported.modelPackage().program(), EngineOptions.SCALAR);
        if (vectorized.kernels() == Kernels.scalar()) {
            throw new IllegalStateException("the Vector API is not available: run with --add-modules jdk.incubator.vector");
        }
        floatEngine = new FloatEngine(graph);
        outputName = graph.outputs().get(0).name();
        String inputName = graph.inputs().get(0).name();
        input = ExampleFiles.read("digits:test", graph).inputs().get(0);
        inputValues = input.get(inputName).data();
        runtime = new OnnxRuntimeRunner(onnx, inputName, ExampleFiles.exampleShape(graph.inputs().get(0)));

        // Every engine must answer the same class, and the untraced run give the traced run's bytes.
        int expected = argmax(floatReference());
        check("integer (vector)", argmax(integerVectorized()), expected);
        check("integer (scalar)", argmax(integerScalar()), expected);
        check("integer (vector, untraced)", argmax(integerVectorizedUntraced()), expected);
        check("ONNX Runtime", argmax(onnxRuntime()), expected);
        if (!vectorized.run(quantized.quantizeInputs(input)).outputs().equals(untraced(vectorized))) {
            throw new IllegalStateException("the untraced run differs from IntegerEngine.run");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        runtime.close();
    }

    @Benchmark
    public float[] integerVectorized() {
        return integer(vectorized);
    }

    @Benchmark
    public float[] integerScalar() {
        return integer(scalar);
    }

    @Benchmark
    public float[] onnxRuntime() {
        return runtime.run(inputValues);
    }

    @Benchmark
    public float[] floatReference() {
        return floatEngine.run(input).get(outputName).data();
    }

    /** Diagnostic: the vectorized integer run without the per-step state hashes. */
    @Benchmark
    public float[] integerVectorizedUntraced() {
        return quantized.dequantizeOutputs(untraced(vectorized)).get(outputName).data();
    }

    private float[] integer(IntegerEngine engine) {
        var result = engine.run(quantized.quantizeInputs(input));
        return quantized.dequantizeOutputs(result.outputs()).get(outputName).data();
    }

    /** {@link IntegerEngine#run}'s outputs, computed op by op with no state hashed. */
    private SortedMap<String, Tensor> untraced(IntegerEngine engine) {
        dev.verity.inference.engine.State state = engine.initialState(quantized.quantizeInputs(input));
        List<Step> plan = engine.plan();
        int i = 0;
        while (i < plan.size()) {
            int last = i + plan.get(i).sliceCount() - 1;
            OpOutput out = engine.newOpOutput(i);
            for (int k = i; k <= last; k++) {
                engine.computeSlice(k, state, out);
            }
            state = engine.stateAfter(last, state, out);
            i = last + 1;
        }
        return engine.outputs(state);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private void check(String engine, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException(engine + " classifies the example of " + model + " as " + actual
                    + ", the float reference engine as " + expected);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = InferenceEnginesBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
