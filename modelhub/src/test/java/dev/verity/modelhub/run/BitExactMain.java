package dev.verity.modelhub.run;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.engine.Step;
import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelMetadata;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.quantize.Calibration;
import dev.verity.modelhub.quantize.Calibrator;
import dev.verity.modelhub.quantize.Quantizer;
import dev.verity.modelhub.quantize.QuantizerOptions;
import dev.verity.modelhub.quantize.TestGraphs;
import dev.verity.modelhub.floatengine.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs a model package's program on fixed inputs and prints one line per fact: the package id, the input
 * state hash, every step's state hash, and the SHA-256 of the outputs. Used in separate JVMs by
 * {@link CrossJvmBitExactTest}: {@code BitExactMain <package file> <threads> <vectorized> [repetitions]}.
 * With repetitions, the run is repeated (so the JIT compiles the kernels) and every repetition must print
 * the same lines as the first; a difference exits with status 2.
 */
public final class BitExactMain {
    private BitExactMain() {}

    public static void main(String[] args) throws Exception {
        ModelPackage pkg = ModelPackage.decode(Files.readAllBytes(Path.of(args[0])));
        int threads = Integer.parseInt(args[1]);
        boolean vector = Boolean.parseBoolean(args[2]);
        IntegerEngine engine = new IntegerEngine(pkg.program(), new EngineOptions(vector));
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        System.err.println("kernels: " + engine.kernels() + ", threads: " + threads + ", repetitions: " + repetitions);
        List<String> first = lines(pkg, engine, threads);
        for (int k = 1; k < repetitions; k++) {
            if (!lines(pkg, engine, threads).equals(first)) {
                System.err.println("MISMATCH: repetition " + k + " differs from the first");
                System.exit(2);
            }
        }
        for (String line : first) {
            System.out.println(line);
        }
    }

    /** The lines this main prints. */
    public static List<String> lines(ModelPackage pkg, IntegerEngine engine, int threads) {
        RunResult r;
        try (ParallelRunner runner = new ParallelRunner(engine, threads)) {
            r = runner.run(fixedInputs(pkg.program()));
        }
        List<String> lines = new ArrayList<>();
        lines.add("package " + pkg.id());
        lines.add("input " + r.inputHash());
        List<Step> plan = engine.plan();
        for (int i = 0; i < plan.size(); i++) {
            Step s = plan.get(i);
            lines.add("step " + i + " op " + s.opIndex() + " slice " + s.slice() + "/" + s.sliceCount() + " " + r.stepHashes().get(i));
        }
        Encoder e = new Encoder();
        for (Map.Entry<String, Tensor> o : r.outputs().entrySet()) {
            e.string(o.getKey()).bytes(o.getValue().canonicalBytes());
        }
        lines.add("output " + Sha256.digest(e.toByteArray()));
        return lines;
    }

    /** Inputs from a fixed integer generator (no floating point): the same on every JVM. */
    public static SortedMap<String, Tensor> fixedInputs(Program p) {
        TreeMap<String, Tensor> m = new TreeMap<>();
        long x = 0x9E3779B97F4A7C15L;
        for (String name : p.inputs()) {
            TensorSpec s = p.tensor(name);
            int[] v = new int[s.elementCount()];
            for (int i = 0; i < v.length; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                v[i] = (int) (x >>> 56) - 128;
            }
            m.put(name, Tensor.of(DType.INT8, s.shape(), v));
        }
        return m;
    }

    /** The test program: the quantized zoo graph (most operators), with the given step size. */
    public static Program program(int sliceElements) {
        Graph g = TestGraphs.zoo(21);
        Random rnd = new Random(5);
        List<Map<String, FloatTensor>> calibration = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            float[] v = new float[3 * 8 * 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            calibration.add(Map.of("x", FloatTensor.of(v, 1, 3, 8, 8)));
        }
        Calibration cal = Calibrator.calibrate(g, calibration);
        return new Quantizer(new QuantizerOptions(sliceElements)).quantize(g, cal).program();
    }

    /** The test program as a model package. */
    public static ModelPackage modelPackage(int sliceElements) {
        Program p = program(sliceElements);
        ModelMetadata meta = new ModelMetadata("zoo", List.of(new IoInfo("x", 1, new int[] {1, 3, 8, 8})),
                List.of(new IoInfo("probs", 1, new int[] {1, 18}), new IoInfo("logits", 1, new int[] {1, 10})),
                p.multiplyAccumulates(), TestGraphs.zoo(21).operators(), ModelMetadata.UNKNOWN, ModelMetadata.UNKNOWN);
        return new ModelPackage("not an ONNX file: the zoo test graph".getBytes(StandardCharsets.UTF_8), p, meta);
    }

    static Hash hash(List<String> lines) {
        return Sha256.digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }
}
