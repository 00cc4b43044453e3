package dev.verity.modelhub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.program.Program;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.inference.trace.StepWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.quantize.QuantizedModel;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-step check on the shipped digits models: every transition of a job's trace, proven by the prover's
 * witness, gives the trace value the node computes, and the integer job output is the one nodes produced
 * before it was defined by {@code IoQuantization}.
 */
class OneStepDigitsTest {
    static final Map<String, ModelImporter.Imported> IMPORTED = new TreeMap<>();
    static final Map<String, Examples> TEST = new TreeMap<>();

    @BeforeAll
    static void importModels() throws IOException {
        for (String arch : List.of("mlp", "cnn")) {
            byte[] onnx = ModelImporterTest.resource("digits-" + arch + ".onnx");
            Graph graph = new OnnxParser().parse(onnx);
            IMPORTED.put(arch, ModelImporter.importModel(onnx, ExampleFiles.read("digits:train", graph).first(256),
                    Examples.none(), ModelImporter.Options.named("digits-" + arch)));
            TEST.put(arch, ExampleFiles.read("digits:test", graph));
        }
    }

    /** The package, its program re-sliced when {@code slice > 0}. */
    static ModelPackage pkg(String arch, int slice) {
        ModelPackage p = IMPORTED.get(arch).modelPackage();
        if (slice == 0) {
            return p;
        }
        Program q = p.program();
        return new ModelPackage(p.onnx(), new Program(q.tensors(), q.inputs(), q.outputs(), q.constants(), q.ops(), slice),
                p.metadata());
    }

    static byte[] job(String arch, int example) {
        FloatTensor x = TEST.get(arch).inputs().get(example).values().iterator().next();
        return PackageRunner.encode(x.data());
    }

    @ParameterizedTest(name = "digits-{0}, slices of {1}")
    @CsvSource({"mlp, 0", "mlp, 16", "cnn, 0", "cnn, 100"})
    void everyTransitionOfADigitsJobIsProven(String arch, int slice) {
        ModelPackage pkg = pkg(arch, slice);
        IntegerEngine engine = new IntegerEngine(pkg.program(), EngineOptions.SCALAR);
        ProgramCommitment c = new ProgramCommitment(pkg.program());
        int n = c.stepCount();
        try (PackageRunner one = new PackageRunner(pkg, EngineOptions.VECTORIZED, 1);
                PackageRunner four = new PackageRunner(pkg, EngineOptions.VECTORIZED, 4)) {
            for (int example : new int[] {0, 7}) {
                byte[] job = job(arch, example);
                TraceValues trace = TraceValues.compute(engine, job);
                assertThat(one.runTrace(job)).isEqualTo(trace);
                assertThat(four.runTrace(job)).isEqualTo(trace);
                assertThat(one.runInteger(job)).isEqualTo(trace.output());
                for (int index = 0; index <= n + 1; index++) {
                    StepWitness w = OneStepProver.witness(engine, c, job, index);
                    byte[] bytes = w.encode();
                    Hash previous = index == 0 ? null : trace.values().get(index - 1);
                    Hash got = OneStepVerifier.transition(c.root(), c.leafCount(), n, index, previous, job,
                            StepWitness.decode(bytes, bytes.length));
                    assertThat(got).as("digits-%s slice %d index %d of %d", arch, slice, index, n + 1)
                            .isEqualTo(trace.values().get(index));
                }
            }
        }
    }

    @ParameterizedTest(name = "digits-{0}")
    @CsvSource({"mlp", "cnn"})
    void integerOutputsAreTheOnesTheFixedPointPathGave(String arch) {
        ModelPackage pkg = pkg(arch, 0);
        QuantizedModel legacy = new QuantizedModel(pkg.program(), List.of());
        IntegerEngine engine = new IntegerEngine(pkg.program(), EngineOptions.VECTORIZED);
        String out = IMPORTED.get(arch).graph().outputs().get(0).name();
        try (PackageRunner runner = new PackageRunner(pkg, EngineOptions.VECTORIZED, 1)) {
            for (int i = 0; i < TEST.get(arch).size(); i++) {
                Map<String, FloatTensor> in = TEST.get(arch).inputs().get(i);
                var r = engine.run(legacy.quantizeInputs(in));
                byte[] expected = PackageRunner.encode(legacy.dequantizeOutputs(r.outputs()).get(out).data());
                assertThat(runner.runInteger(job(arch, i))).as("digit %d", i).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "digits-{0}")
    @CsvSource({"mlp", "cnn"})
    void witnessSizesAndTheCostOfOneTransition(String arch) {
        ModelPackage pkg = pkg(arch, 0);
        IntegerEngine engine = new IntegerEngine(pkg.program(), EngineOptions.SCALAR);
        ProgramCommitment c = new ProgramCommitment(pkg.program());
        int n = c.stepCount();
        byte[] job = job(arch, 3);
        TraceValues trace = TraceValues.compute(engine, job);
        StringBuilder sizes = new StringBuilder();
        long slowestNanos = 0;
        int slowest = -1;
        for (int index = 0; index <= n + 1; index++) {
            StepWitness w = OneStepProver.witness(engine, c, job, index);
            byte[] encoded = w.encode();
            int bytes = encoded.length;
            int at = index;
            String kind = index == 0 ? "input" : index == n + 1 ? "output" : "step " + (index - 1) + " ("
                    + pkg.program().ops().get(c.opOfStep(index - 1)).kind() + ")";
            sizes.append(String.format(Locale.ROOT, "%n  index %d, %s: %,d bytes", index, kind, bytes));
            Hash previous = index == 0 ? null : trace.values().get(index - 1);
            long nanos = time(() -> OneStepVerifier.transition(c.root(), c.leafCount(), n, at, previous, job,
                    StepWitness.decode(encoded, encoded.length)));
            if (nanos > slowestNanos) {
                slowestNanos = nanos;
                slowest = index;
            }
        }
        long run = time(() -> TraceValues.compute(engine, job));
        System.out.printf(Locale.ROOT, "[one-step] digits-%s: %d steps, %d leaves; witness sizes:%s%n"
                + "[one-step] slowest transition (index %d, decoding included) %.1f µs; full trace (run + hashes) %.1f µs%n",
                arch, n, c.leafCount(), sizes, slowest, slowestNanos / 1e3, run / 1e3);
        assertThat(slowestNanos).isPositive();
    }

    /** Median wall time of one call, after warming up. */
    static long time(Runnable r) {
        for (int i = 0; i < 3000; i++) {
            r.run();
        }
        long[] t = new long[101];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
