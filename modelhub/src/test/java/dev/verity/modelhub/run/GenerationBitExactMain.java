package dev.verity.modelhub.run;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.GenerationResult;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.quantize.DecoderCalibration;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import dev.verity.modelhub.lm.quantize.TestDecoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates with a quantized decoder's step program and prints one line per fact: the program hash, for every forward
 * pass a digest of all its step hashes and its final state hash, the tokens and the finish reason. Used in separate JVMs
 * by {@link CrossJvmGenerationTest}: {@code GenerationBitExactMain <program file> <threads> <vectorized> [repetitions]};
 * every repetition must print the same lines as the first (else exit status 2).
 */
public final class GenerationBitExactMain {
    static final DecoderConfig CONFIG = new DecoderConfig(64, 32, 2, 4, 32, 64);
    static final int[] PROMPT = {5, 9, 2, 40};

    private GenerationBitExactMain() {}

    public static void main(String[] args) throws Exception {
        Program program = Program.decode(Files.readAllBytes(Path.of(args[0])));
        int threads = Integer.parseInt(args[1]);
        boolean vector = Boolean.parseBoolean(args[2]);
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        IntegerEngine engine = new IntegerEngine(program, new EngineOptions(vector));
        System.err.println("kernels: " + engine.kernels() + ", threads: " + threads + ", repetitions: " + repetitions);
        List<String> first = lines(DecoderQuantizer.stepOf(program), engine, threads);
        for (int k = 1; k < repetitions; k++) {
            if (!lines(DecoderQuantizer.stepOf(program), engine, threads).equals(first)) {
                System.err.println("MISMATCH: repetition " + k + " differs from the first");
                System.exit(2);
            }
        }
        for (String line : first) {
            System.out.println(line);
        }
    }

    /** The quantized step program of a seeded random decoder, in slices of 64 elements (so many steps per pass). */
    static Program program() {
        DecoderWeights w = TestDecoders.random(CONFIG, 21, 0.25);
        DecoderCalibration cal = DecoderCalibration.calibrate(w, TestDecoders.sequences(CONFIG, 6, CONFIG.contextLength(), 22));
        return DecoderQuantizer.quantize(w, cal, 64).program();
    }

    static GenerationParameters parameters() {
        byte[] seed = Sha256.digest(new byte[] {1, 2, 3}).bytes();
        return new GenerationParameters(20, 1500, 950, GenerationParameters.NO_END_TOKEN, List.of(List.of(63, 63, 63)), seed);
    }

    /** The lines this main prints. */
    static List<String> lines(DecoderStep step, IntegerEngine engine, int threads) {
        List<String> lines = new ArrayList<>();
        lines.add("program " + Sha256.digest(step.program().encode()));
        List<RunResult> passes = new ArrayList<>();
        GenerationResult r;
        try (ParallelRunner runner = new ParallelRunner(engine, threads)) {
            r = new Generator(step, in -> {
                RunResult run = runner.run(in);
                passes.add(run);
                return run;
            }).generate(PROMPT, parameters());
        }
        for (int i = 0; i < passes.size(); i++) {
            RunResult p = passes.get(i);
            Encoder e = new Encoder();
            for (Hash h : p.stepHashes()) {
                e.hash(h);
            }
            lines.add("pass " + i + " steps " + p.stepHashes().size() + " digest " + Sha256.digest(e.toByteArray()) + " final "
                    + r.passHashes().get(i));
        }
        lines.add("tokens " + r.tokens());
        lines.add("finish " + r.finishReason());
        return lines;
    }
}
