package dev.verity.bench;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.inference.trace.StepWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.hub.ExampleFiles;
import dev.verity.modelhub.hub.Examples;
import dev.verity.modelhub.hub.ModelImporter;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.onnx.OnnxLimits;
import dev.verity.modelhub.onnx.OnnxParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a dispute costs the chain against what the disputed job cost the node, for the shipped digits MLP and
 * CNN (imported as {@code verity model import} does), on the first {@code digits:test} example:
 * <ul>
 *   <li>{@link #fullInference}: the node's run of the job in a provable mode — the integer engine over every
 *       step with the state hash after each, input quantization and output dequantization
 *       ({@link TraceValues#compute}, scalar kernels as the chain uses);</li>
 *   <li>{@link #chainHeaviestStep}: what the ledger does for the single step of a dispute, at the trace index
 *       whose witness is the largest: decode the witness, check it against the program root and the agreed
 *       state, execute the step ({@link OneStepVerifier#transition});</li>
 *   <li>{@link #chainEveryStep}: the same for every trace index in turn (divide by the trace size for the mean).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector"})
public class DisputeStepBenchmark {
    @Param({"digits-mlp", "digits-cnn"})
    public String model;

    private IntegerEngine engine;
    private ProgramCommitment commitment;
    private byte[] input;
    private List<Hash> values;
    private byte[][] witnesses;
    private int heaviest;

    @Setup(Level.Trial)
    public void prepare() {
        byte[] onnx = resource("/models/" + model + ".onnx");
        Graph graph = new OnnxParser().parse(onnx);
        ModelPackage pkg = ModelImporter.importModel(onnx, ExampleFiles.read("digits:train", graph), Examples.none(),
                new ModelImporter.Options(model, OnnxLimits.DEFAULTS, InferenceEnginesBenchmark.CALIBRATION_EXAMPLES))
                .modelPackage();
        engine = new IntegerEngine(pkg.program(), EngineOptions.SCALAR);
        commitment = new ProgramCommitment(pkg.program());
        float[] example = ExampleFiles.read("digits:test", graph).inputs().get(0).get(graph.inputs().get(0).name()).data();
        input = PackageRunner.encode(example);
        values = TraceValues.compute(engine, input).values();
        witnesses = new byte[values.size()][];
        for (int k = 0; k < values.size(); k++) {
            witnesses[k] = OneStepProver.witness(engine, commitment, input, k).encode();
            if (witnesses[k].length > witnesses[heaviest].length) {
                heaviest = k;
            }
            if (!verify(k).equals(values.get(k))) {
                throw new IllegalStateException("trace index " + k + " does not verify");
            }
        }
        System.out.printf("%n%s: %d engine steps, %d trace values, heaviest witness at index %d (%d bytes)%n", model,
                commitment.stepCount(), values.size(), heaviest, witnesses[heaviest].length);
    }

    private Hash verify(int k) {
        StepWitness w = StepWitness.decode(witnesses[k], 1 << 24);
        return OneStepVerifier.transition(commitment.root(), commitment.leafCount(), commitment.stepCount(), k,
                k == 0 ? null : values.get(k - 1), input, w);
    }

    @Benchmark
    public List<Hash> fullInference() {
        return TraceValues.compute(engine, input).values();
    }

    @Benchmark
    public Hash chainHeaviestStep() {
        return verify(heaviest);
    }

    @Benchmark
    public Hash chainEveryStep() {
        Hash last = null;
        for (int k = 0; k < witnesses.length; k++) {
            last = verify(k);
        }
        return last;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DisputeStepBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
