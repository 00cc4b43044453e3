package dev.verity.modelhub.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
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
 * Bit-exactness across JVMs: separate JVMs, started with different execution modes (JIT, interpreter only,
 * C1 only, no AVX), thread counts and kernels, run the same model package on the same inputs and must
 * print identical lines (package id, input hash, every step hash, output hash), equal to this JVM's.
 * JIT variants repeat the run {@value #JIT_REPETITIONS} times, each repetition checked against the first,
 * so compiled code (C1, C2 with the Vector API intrinsics) is compared too, not only the interpreter.
 */
class CrossJvmBitExactTest {

    /** Runs per JIT variant, so that C1/C2 compile the kernels (and the Vector API intrinsics kick in). */
    static final int JIT_REPETITIONS = 60;

    @Test
    void separateJvmsPrintIdenticalHashes() throws Exception {
        Path dir = Files.createTempDirectory("verity-bitexact");
        try {
            check(dir);
        } finally {
            JvmVariants.delete(dir);
        }
    }

    private void check(Path dir) throws Exception {
        ModelPackage pkg = BitExactMain.modelPackage(40);
        Path file = dir.resolve("zoo.vpkg");
        Files.write(file, pkg.encode());
        List<String> expected = BitExactMain.lines(pkg, new IntegerEngine(pkg.program(), EngineOptions.SCALAR), 1);
        assertThat(expected.size()).isGreaterThan(20); // many steps, several sliced ops
        List<JvmVariants.Variant> vs = JvmVariants.variants();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (JvmVariants.Variant v : vs) {
                List<String> args = List.of(file.toString(), Integer.toString(v.threads()), Boolean.toString(v.vector()),
                        Integer.toString(v.interpreted() ? 1 : JIT_REPETITIONS));
                results.add(pool.submit(() -> JvmVariants.launch(BitExactMain.class, args, v, dir)));
            }
            for (int i = 0; i < vs.size(); i++) {
                List<String> lines = results.get(i).get(120, TimeUnit.SECONDS);
                assertThat(lines).as("variant %s", vs.get(i)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("[bit-exact] " + vs.size() + " JVM variants printed the same " + expected.size()
                + " lines, digest " + BitExactMain.hash(expected) + "; " + expected.get(expected.size() - 1));
    }
}
