package dev.verity.modelhub.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bit-exactness of generation across JVMs: the quantized step program of a small random decoder, written once, is run
 * by separate JVMs of every {@link JvmVariants} variant generating with sampling from the same seed; each must print
 * the same lines (every pass's step hashes, its final state with the written caches, the tokens, the finish reason)
 * as this JVM. JIT variants repeat the generation {@value #JIT_REPETITIONS} times, each checked against the first.
 */
class CrossJvmGenerationTest {
    static final int JIT_REPETITIONS = 15;

    @Test
    void separateJvmsGenerateTheSameTokensAndHashes() throws Exception {
        Path dir = Files.createTempDirectory("verity-generation");
        try {
            Program program = GenerationBitExactMain.program();
            Path file = dir.resolve("step.program");
            Files.write(file, program.encode());
            List<String> expected = GenerationBitExactMain.lines(DecoderQuantizer.stepOf(program),
                    new IntegerEngine(program, EngineOptions.SCALAR), 1);
            assertThat(expected.size()).isGreaterThan(20);
            List<JvmVariants.Variant> vs = JvmVariants.variants();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (JvmVariants.Variant v : vs) {
                    List<String> args = List.of(file.toString(), Integer.toString(v.threads()), Boolean.toString(v.vector()),
                            Integer.toString(v.interpreted() ? 1 : JIT_REPETITIONS));
                    results.add(pool.submit(() -> JvmVariants.launch(GenerationBitExactMain.class, args, v, dir)));
                }
                for (int i = 0; i < vs.size(); i++) {
                    assertThat(results.get(i).get(180, TimeUnit.SECONDS)).as("variant %s", vs.get(i)).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.println("[bit-exact] " + vs.size() + " JVM variants generated the same: "
                    + expected.get(expected.size() - 2) + ", " + expected.get(expected.size() - 1) + ", "
                    + (expected.size() - 3) + " passes");
        } finally {
            JvmVariants.delete(dir);
        }
    }
}
