package dev.verity.modelhub.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    record Variant(List<String> jvmFlags, int threads, boolean vector) {
        @Override
        public String toString() {
            return (jvmFlags.isEmpty() ? "default" : String.join(" ", jvmFlags)) + ", threads " + threads + ", vector "
                    + (vector ? "on" : "off");
        }
    }

    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        v.add(new Variant(List.of(), 1, false));
        v.add(new Variant(List.of(), 2, true));
        v.add(new Variant(List.of(), 1, true));
        v.add(new Variant(List.of("-Xint"), 2, true));
        v.add(new Variant(List.of("-Xint"), 1, false));
        v.add(new Variant(List.of("-XX:TieredStopAtLevel=1"), 2, false));
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) { // UseAVX is an x86 flag
            v.add(new Variant(List.of("-XX:UseAVX=0"), 2, true));
            v.add(new Variant(List.of("-XX:UseAVX=0"), 1, false));
        }
        return v;
    }

    @Test
    void separateJvmsPrintIdenticalHashes() throws Exception {
        Path dir = Files.createTempDirectory("verity-bitexact");
        try {
            check(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private void check(Path dir) throws Exception {
        ModelPackage pkg = BitExactMain.modelPackage(40);
        Path file = dir.resolve("zoo.vpkg");
        Files.write(file, pkg.encode());
        List<String> expected = BitExactMain.lines(pkg, new IntegerEngine(pkg.program(), EngineOptions.SCALAR), 1);
        assertThat(expected.size()).isGreaterThan(20); // many steps, several sliced ops
        String classpath = classpath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (Variant v : variants()) {
                results.add(pool.submit(() -> launch(java, classpath, file, v)));
            }
            List<Variant> vs = variants();
            for (int i = 0; i < vs.size(); i++) {
                List<String> lines = results.get(i).get(120, TimeUnit.SECONDS);
                assertThat(lines).as("variant %s", vs.get(i)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("[bit-exact] " + variants().size() + " JVM variants printed the same " + expected.size()
                + " lines, digest " + BitExactMain.hash(expected) + "; " + expected.get(expected.size() - 1));
    }

    private static List<String> launch(String java, String classpath, Path file, Variant v)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(v.jvmFlags());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-cp", classpath,
                BitExactMain.class.getName(), file.toString(), Integer.toString(v.threads()), Boolean.toString(v.vector()),
                Integer.toString(v.jvmFlags().contains("-Xint") ? 1 : JIT_REPETITIONS)));
        Path err = Files.createTempFile(file.getParent(), "stderr", ".txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("variant " + v + " timed out");
        }
        String stderr = Files.readString(err);
        if (p.exitValue() != 0) {
            throw new AssertionError("variant " + v + " exited with " + p.exitValue() + ":\n" + stderr);
        }
        String kernels = stderr.lines().filter(l -> l.startsWith("kernels")).findFirst().orElse("");
        System.out.printf(Locale.ROOT, "[bit-exact] %-40s %5.1fs  %s%n", v, (System.nanoTime() - start) / 1e9, kernels);
        if (!kernels.startsWith(v.vector() ? "kernels: vector" : "kernels: scalar")) {
            throw new AssertionError("variant " + v + " ran " + kernels);
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    /** The class roots the child needs: test classes, modelhub classes, inference and core. */
    private static String classpath() throws URISyntaxException {
        LinkedHashSet<String> roots = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {BitExactMain.class, ParallelRunner.class, IntegerEngine.class, Hash.class}) {
            roots.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, roots);
    }
}
