package dev.verity.modelhub.hub;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.trace.IoQuantization;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.run.ParallelRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a model package with the float reference engine or the integer engine. Job bytes for a
 * package: the single input's values as float32 little-endian in row-major order (batch 1); the
 * output is the first output's values in the same encoding. On the integer path the input is
 * quantized with the program's input quantization and the program's first output dequantized by
 * {@link IoQuantization}, exact integer arithmetic on the float bit patterns, the same definition the
 * chain's one-step check uses; in between the program runs in integers only.
 */
public final class PackageRunner implements AutoCloseable {
    private final ModelPackage pkg;
    private final Graph graph;
    private final FloatEngine floatEngine;
    private final IntegerEngine integerEngine;
    private final ParallelRunner parallel;
    private final IoInfo input;
    private final int[] inputShape;
    private final TensorSpec inputSpec;
    private final TensorSpec outputSpec;

    public PackageRunner(ModelPackage pkg, EngineOptions options, int threads) {
        this.pkg = pkg;
        this.graph = new OnnxParser().parse(pkg.onnx());
        this.floatEngine = new FloatEngine(graph);
        this.integerEngine = new IntegerEngine(pkg.program(), options);
        this.parallel = threads > 1 ? new ParallelRunner(integerEngine, threads) : null;
        if (pkg.metadata().inputs().size() != 1) {
            throw new IllegalArgumentException("model " + pkg.metadata().name() + " has " + pkg.metadata().inputs().size()
                    + " inputs; jobs feed models with one input");
        }
        this.input = pkg.metadata().inputs().get(0);
        this.inputShape = ExampleFiles.exampleShape(graph.inputs().get(0));
        Program program = pkg.program();
        if (!program.inputs().equals(List.of(input.name()))) {
            throw new IllegalArgumentException("model " + pkg.metadata().name() + ": the program takes " + program.inputs()
                    + ", the job input is '" + input.name() + "'");
        }
        this.inputSpec = program.tensor(input.name());
        if (!Arrays.equals(inputSpec.shape(), inputShape)) {
            throw new IllegalArgumentException("model " + pkg.metadata().name() + ": program input shape "
                    + Arrays.toString(inputSpec.shape()) + ", job input shape " + Arrays.toString(inputShape));
        }
        String output = graph.outputs().get(0).name();
        if (!output.equals(program.outputs().get(0))) {
            throw new IllegalArgumentException("model " + pkg.metadata().name() + ": the graph's first output is '" + output
                    + "', the program's '" + program.outputs().get(0) + "'");
        }
        this.outputSpec = program.tensor(output);
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    /** Values one input holds. */
    public int inputSize() {
        int n = 1;
        for (int d : inputShape) {
            n *= d;
        }
        return n;
    }

    public FloatTensor decodeInput(byte[] bytes) {
        int n = inputSize();
        if (bytes.length != 4 * n) {
            throw new IllegalArgumentException("model " + pkg.metadata().name() + " takes " + n + " float32 values (" + 4 * n
                    + " bytes) for input '" + input.name() + "', got " + bytes.length + " bytes");
        }
        float[] values = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("input value " + i + " is not a finite number");
            }
        }
        return new FloatTensor(inputShape, values);
    }

    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** The float reference engine's output for job input bytes. */
    public byte[] runFloat(byte[] inputBytes) {
        Map<String, FloatTensor> out = floatEngine.run(Map.of(input.name(), decodeInput(inputBytes)));
        return encode(out.get(graph.outputs().get(0).name()).data());
    }

    /** The integer engine's run (outputs and step hashes) for job input bytes. */
    public RunResult runIntegerTrace(byte[] inputBytes) {
        decodeInput(inputBytes); // the size and finiteness checks
        TreeMap<String, Tensor> inputs = new TreeMap<>();
        inputs.put(inputSpec.name(), IoQuantization.quantizeInput(inputBytes, inputSpec));
        return parallel != null ? parallel.run(inputs) : integerEngine.run(inputs);
    }

    /** The integer engine's output for job input bytes, dequantized. */
    public byte[] runInteger(byte[] inputBytes) {
        return output(runIntegerTrace(inputBytes));
    }

    /**
     * The values a dispute about this job bisects over ({@link TraceValues}): the same as
     * {@code TraceValues.compute} on this package's program, the states computed on this runner's threads.
     */
    public TraceValues runTrace(byte[] inputBytes) {
        RunResult r = runIntegerTrace(inputBytes);
        byte[] out = output(r);
        List<Hash> values = new ArrayList<>(r.stepHashes().size() + 2);
        values.add(r.inputHash());
        values.addAll(r.stepHashes());
        values.add(Sha256.digest(out));
        return new TraceValues(values, out);
    }

    private byte[] output(RunResult r) {
        return IoQuantization.dequantizeOutput(r.outputs().get(outputSpec.name()), outputSpec);
    }

    @Override
    public void close() {
        if (parallel != null) {
            parallel.close();
        }
    }
}
