package dev.verity.modelhub.run;

import dev.verity.core.Hash;
import dev.verity.inference.engine.IntegerEngine;
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
import java.util.concurrent.TimeUnit;

/**
 * The JVM variants of the cross-JVM bit-exactness tests (JIT, interpreter only, C1 only, no AVX; thread counts; scalar or
 * vector kernels) and how to start one: a child JVM running a main class that prints one line per fact on stdout and
 * the kernels it used ({@code "kernels: ..."}) on stderr.
 */
final class JvmVariants {
    private JvmVariants() {}

    record Variant(List<String> jvmFlags, int threads, boolean vector) {
        boolean interpreted() {
            return jvmFlags.contains("-Xint");
        }

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

    /**
     * Runs {@code main} in a child JVM of variant {@code v} with arguments {@code args} (which carry the variant's thread
     * count and kernel choice in the main's own order); returns its stdout lines. Fails when it exits non-zero, runs past the timeout, or used other
     * kernels than asked.
     */
    static List<String> launch(Class<?> main, List<String> args, Variant v, Path workDir)
            throws IOException, InterruptedException, URISyntaxException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(v.jvmFlags());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-cp", classpath(main),
                main.getName()));
        cmd.addAll(args);
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
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
    private static String classpath(Class<?> main) throws URISyntaxException {
        LinkedHashSet<String> roots = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {main, ParallelRunner.class, IntegerEngine.class, Hash.class}) {
            roots.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, roots);
    }

    /** Deletes the files of a work directory, then the directory. */
    static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
