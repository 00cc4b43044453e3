package dev.verity.modelhub.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.verity.modelhub.conformance.OnnxTestData;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.quantize.Quantizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of {@link OnnxParser}: whatever the bytes, {@code parse} returns a {@link Graph} or refuses them
 * with an {@link OnnxFormatException} (or {@link UnsupportedModelException}, or the float engine's
 * {@link UnsupportedOperatorException}) that has a message, quickly; never another exception (no
 * NullPointerException, ArrayIndexOutOfBoundsException, NegativeArraySizeException, OutOfMemoryError,
 * StackOverflowError, ...). Graphs that parse are also handed to the {@link FloatEngine} constructor, which may
 * refuse them only in the ways it documents.
 *
 * <p>Seeds: the two shipped digits models and small models from ONNX's backend test data. Mutations: see
 * {@link OnnxMutator}. Everything is drawn from one {@link Random} with a fixed seed, so a run is reproducible;
 * {@code -Donnx.fuzz.seed=N} and {@code -Donnx.fuzz.inputs=N} explore further. A failing input is written to
 * {@code target/onnx-fuzz-failures/}, shrunk, and printed in Base64, ready to become a regression case.
 */
class OnnxParserFuzzTest {
    private static final long SEED = Long.getLong("onnx.fuzz.seed", 20_261_124L);
    private static final int INPUTS = Integer.getInteger("onnx.fuzz.inputs", 200_000);

    private static final List<String> TEST_DATA_MODELS = List.of("test_conv_with_strides_padding",
            "test_gemm_default_no_bias", "test_maxpool_2d_default", "test_relu", "test_softmax_axis_0");

    /** A parse slower than this counts as a failure (the fastest seeds parse in microseconds). */
    private static final long SLOW_PARSE_NANOS = Duration.ofSeconds(2).toNanos();

    private final OnnxParser parser = new OnnxParser();

    private record Seed(String name, byte[] bytes) {}

    private static List<Seed> seeds() {
        List<Seed> seeds = new ArrayList<>();
        for (String model : List.of("digits-mlp", "digits-cnn")) {
            try (InputStream in = OnnxParserFuzzTest.class.getResourceAsStream("/models/" + model + ".onnx")) {
                assertThat(in).as("shipped model " + model).isNotNull();
                seeds.add(new Seed(model, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path node = OnnxTestData.require("node");
        for (String test : TEST_DATA_MODELS) {
            Path file = node.resolve(test).resolve("model.onnx");
            if (Files.isRegularFile(file)) {
                try {
                    seeds.add(new Seed(test, Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertThat(seeds).as("seeds from ONNX's backend test data").hasSizeGreaterThan(2);
        return seeds;
    }

    // ------------------------------------------------------------------ the contract, checked on one input

    /** What happened to the inputs tried, and the inputs that broke the contract. */
    private static final class Tally {
        int tried;
        int parsed;
        int refused;
        int unsupported;
        int floatEngineAccepted;
        int importable;
        long slowestNanos;
        final List<String> failures = new ArrayList<>();

        String summary(String what) {
            return String.format("%s %d inputs: %d parsed, %d refused with a clear error (%d of them as unsupported)"
                    + "; %d of the parsed accepted by the float engine, %d with only operators both engines"
                    + " support; slowest parse %.1f ms", what, tried, parsed, refused, unsupported,
                    floatEngineAccepted, importable, slowestNanos / 1e6);
        }
    }

    /** Checks the contract on {@code bytes}; returns whether they parsed. */
    private boolean check(byte[] bytes, String description, Tally tally) {
        tally.tried++;
        Graph graph;
        long start = System.nanoTime();
        try {
            graph = parser.parse(bytes);
        } catch (OnnxFormatException | UnsupportedOperatorException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                record(tally, bytes, description, "refused without a message", e);
            }
            tally.refused++;
            if (e instanceof UnsupportedModelException || e instanceof UnsupportedOperatorException) {
                tally.unsupported++;
            }
            return false;
        } catch (Throwable e) { // OutOfMemoryError and StackOverflowError included
            record(tally, bytes, description, "parse threw " + e.getClass().getName(), e);
            return false;
        } finally {
            long elapsed = System.nanoTime() - start;
            tally.slowestNanos = Math.max(tally.slowestNanos, elapsed);
            if (elapsed > SLOW_PARSE_NANOS) {
                record(tally, bytes, description, "parse took " + elapsed / 1_000_000 + " ms", null);
            }
        }
        tally.parsed++;
        try {
            new FloatEngine(graph);
            tally.floatEngineAccepted++;
            boolean importable = true;
            for (Node n : graph.nodes()) {
                importable &= FloatEngine.supports(n.opType()) && Quantizer.supportedOperators().contains(n.opType());
            }
            if (importable) {
                tally.importable++;
            }
        } catch (UnsupportedOperatorException | IllegalArgumentException e) {
            // documented refusals: an operator it does not implement, an element type it does not compute with
        } catch (Throwable e) {
            record(tally, bytes, description, "FloatEngine(graph) threw " + e.getClass().getName(), e);
        }
        return true;
    }

    private static void record(Tally tally, byte[] bytes, String description, String problem, Throwable e) {
        if (tally.failures.size() >= 20) {
            return;
        }
        int n = tally.failures.size();
        try {
            Path dir = Path.of("target", "onnx-fuzz-failures");
            Files.createDirectories(dir);
            Files.write(dir.resolve("failure-" + n + ".onnx"), bytes);
        } catch (IOException ignored) {
            // the report below has the bytes too
        }
        StringBuilder s = new StringBuilder(problem).append(" on ").append(description);
        if (e != null) {
            s.append("\n    ").append(e);
            StackTraceElement[] trace = e.getStackTrace();
            for (int i = 0; i < Math.min(4, trace.length); i++) {
                s.append("\n      at ").append(trace[i]);
            }
            if (!(e instanceof VirtualMachineError)) {
                byte[] small = shrink(bytes, e.getClass());
                s.append("\n    shrunk to ").append(small.length).append(" bytes: ")
                        .append(Base64.getEncoder().encodeToString(small));
            }
        }
        s.append("\n    input (").append(bytes.length).append(" bytes, target/onnx-fuzz-failures/failure-").append(n)
                .append(".onnx)");
        tally.failures.add(s.toString());
    }

    /** Removes chunks of {@code bytes} for as long as parsing still throws {@code type} (at most 5,000 tries). */
    private static byte[] shrink(byte[] bytes, Class<?> type) {
        OnnxParser parser = new OnnxParser();
        byte[] best = bytes;
        int tries = 0;
        for (int chunk = Math.max(1, best.length / 2); chunk >= 1 && tries < 5_000; chunk /= 2) {
            for (int at = 0; at + chunk <= best.length && tries < 5_000; ) {
                byte[] candidate = new byte[best.length - chunk];
                System.arraycopy(best, 0, candidate, 0, at);
                System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
                tries++;
                boolean same;
                try {
                    new FloatEngine(parser.parse(candidate));
                    same = false;
                } catch (Throwable e) {
                    same = e.getClass() == type;
                }
                if (same) {
                    best = candidate;
                } else {
                    at += chunk;
                }
            }
        }
        return best;
    }

    private static void assertNoFailures(Tally tally) {
        if (!tally.failures.isEmpty()) {
            fail(tally.failures.size() + " input(s) broke the parser's contract:\n" + String.join("\n", tally.failures));
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void seedsParse() {
        for (Seed seed : seeds()) {
            Graph g = parser.parse(seed.bytes());
            assertThat(g.nodes()).as(seed.name()).isNotEmpty();
            assertThat(OnnxMutator.serialize(OnnxMutator.parse(seed.bytes())))
                    .as("the mutator's protobuf tree of " + seed.name() + " serializes back to the same bytes")
                    .isEqualTo(seed.bytes());
        }
    }

    @Test
    void randomMutantsParseOrAreRefusedWithAClearError() {
        List<Seed> seeds = seeds();
        Duration limit = Duration.ofSeconds(Math.max(120, INPUTS / 1_000)); // about 10 times what it takes
        Tally tally = assertTimeoutPreemptively(limit, () -> fuzz(seeds, SEED, INPUTS));
        System.out.println(tally.summary("fuzzed") + " (seed " + SEED + ")");
        assertThat(tally.tried).isEqualTo(INPUTS);
        assertThat(tally.parsed).as("mutants that still parse (the fuzzer reaches past the wire format)")
                .isGreaterThan(INPUTS / 50);
        assertThat(tally.refused).isGreaterThan(INPUTS / 2);
        assertNoFailures(tally);
    }

    private Tally fuzz(List<Seed> seeds, long seed, int inputs) {
        Random random = new Random(seed);
        OnnxMutator mutator = new OnnxMutator(random);
        List<List<OnnxMutator.Field>> trees = new ArrayList<>();
        for (Seed s : seeds) {
            trees.add(OnnxMutator.parse(s.bytes()));
        }
        List<byte[]> corpus = new ArrayList<>(); // mutants that parsed, mutated further
        Tally tally = new Tally();
        for (int i = 0; i < inputs; i++) {
            int s = random.nextInt(seeds.size());
            int d = random.nextInt(seeds.size());
            StringBuilder log = new StringBuilder("mutant #" + i + " of " + seeds.get(s).name() + ": ");
            byte[] base = seeds.get(s).bytes();
            List<OnnxMutator.Field> tree = copy(trees.get(s));
            if (!corpus.isEmpty() && random.nextInt(4) == 0) {
                base = corpus.get(random.nextInt(corpus.size()));
                tree = OnnxMutator.parse(base);
                log.append("(an earlier mutant that parsed) ");
            }
            int mode = random.nextInt(3); // 0: structural, 1: byte-level, 2: both
            byte[] mutant = base;
            if (mode != 1 && tree != null) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    log.append(mutator.mutateTree(tree, trees.get(d))).append("; ");
                }
                mutant = OnnxMutator.serialize(tree);
            }
            if (mode != 0 || tree == null) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    mutant = mutator.mutateBytes(mutant, seeds.get(d).bytes(), log);
                }
            }
            if (check(mutant, log.toString(), tally)) {
                if (corpus.size() < 256) {
                    corpus.add(mutant);
                } else {
                    corpus.set(random.nextInt(corpus.size()), mutant);
                }
            }
        }
        return tally;
    }

    private static List<OnnxMutator.Field> copy(List<OnnxMutator.Field> tree) {
        List<OnnxMutator.Field> c = new ArrayList<>(tree.size());
        for (OnnxMutator.Field f : tree) {
            c.add(f.copy());
        }
        return c;
    }

    /**
     * Deterministic sweeps: every truncation of every seed, every varint of every seed (tags, lengths and values) set
     * to each extreme value, and, for the small seeds, every byte deleted or set to 0x00, 0x7F, 0x80 and 0xFF.
     */
    @Test
    void systematicMutantsParseOrAreRefusedWithAClearError() {
        List<Seed> seeds = seeds();
        Tally tally = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Tally t = new Tally();
            for (Seed seed : seeds) {
                byte[] b = seed.bytes();
                for (int n = 0; n < b.length; n++) {
                    check(Arrays.copyOf(b, n), seed.name() + " truncated to " + n + " bytes", t);
                }
                for (int[] span : OnnxMutator.varintSpans(b)) {
                    for (long value : OnnxMutator.EXTREME_VALUES) {
                        byte[] v = OnnxMutator.varint(value);
                        byte[] m = new byte[b.length - span[1] + v.length];
                        System.arraycopy(b, 0, m, 0, span[0]);
                        System.arraycopy(v, 0, m, span[0], v.length);
                        System.arraycopy(b, span[0] + span[1], m, span[0] + v.length, b.length - span[0] - span[1]);
                        check(m, seed.name() + " with the varint at " + span[0] + " set to " + value, t);
                    }
                }
                if (b.length <= 1024) {
                    for (int p = 0; p < b.length; p++) {
                        byte[] m = new byte[b.length - 1];
                        System.arraycopy(b, 0, m, 0, p);
                        System.arraycopy(b, p + 1, m, p, b.length - p - 1);
                        check(m, seed.name() + " without byte " + p, t);
                        for (int value : new int[] {0x00, 0x7F, 0x80, 0xFF}) {
                            m = b.clone();
                            m[p] = (byte) value;
                            check(m, seed.name() + " with byte " + p + " set to " + value, t);
                        }
                    }
                }
            }
            return t;
        });
        System.out.println(tally.summary("systematically mutated"));
        assertNoFailures(tally);
    }

    // ------------------------------------------------------------------ regressions

    /**
     * Found while fuzzing: a repeated numeric field was counted against {@link OnnxLimits#maxTensorElements()} only
     * once it had been read whole, into a buffer that doubled as it grew, and tensor dims, shapes and INTS/FLOATS
     * attributes had no limit at all. One packed field of 1-byte varints thus cost 8 to 24 bytes of heap per byte of
     * file: a 95 MB model (under the 256 MiB default limit) ran a 1 GiB heap out of memory, a 243 MB one allocated
     * 4 GiB before being refused. Each such field is now refused as soon as it passes its limit, while it is read;
     * here with a limit of 1,000 elements and fields of 1,000,000 values, whose parse must allocate no more than the
     * file's size and 1 MiB.
     */
    @Test
    void repeatedFieldsAreRefusedAsSoonAsTheyPassTheirLimit() {
        int n = 1_000_000;
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        float[] floats = new float[n];
        OnnxParser smallTensors = new OnnxParser(new OnnxLimits(256L << 20, 1000, 100));
        record Case(String field, byte[] model, String message) {}
        List<Case> cases = List.of(
                new Case("int64_data", bigModel(Proto.message().packedLongs(1, n).varint(2, Proto.INT64)
                        .string(8, "w").packedLongs(7, ones), null), "holds more than 1000 values"),
                new Case("int32_data", bigModel(Proto.message().packedLongs(1, n).varint(2, 6)
                        .string(8, "w").packedLongs(5, ones), null), "holds more than 1000 values"),
                new Case("float_data", bigModel(Proto.message().packedLongs(1, n).varint(2, Proto.FLOAT)
                        .string(8, "w").packedFloats(4, floats), null), "holds more than 1000 values"),
                new Case("double_data", bigModel(Proto.message().packedLongs(1, n).varint(2, 11)
                        .string(8, "w").bytes(10, new byte[8 * n]), null), "holds more than 1000 values"),
                new Case("dims", bigModel(Proto.message().packedLongs(1, ones).varint(2, Proto.FLOAT)
                        .string(8, "w").packedFloats(4, 0f), null), "holds more than 1024 dimensions"),
                new Case("INTS attribute", bigModel(null, Proto.intsAttr("pads", ones)), "holds more than 1000 values"),
                new Case("FLOATS attribute", bigModel(null, Proto.floatsAttr("scales", floats)),
                        "holds more than 1000 values"),
                new Case("input shape", Proto.model(13, Proto.graph("big")
                        .message(1, Proto.node("Relu", "r", new String[] {"x"}, new String[] {"y"}))
                        .message(11, Proto.valueInfo("x", Proto.FLOAT, ones))
                        .message(12, Proto.valueInfo("y", Proto.FLOAT, 1))).toByteArray(),
                        "more than 1024 dimensions"));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (Case c : cases) {
            long before = threads.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                smallTensors.parse(c.model());
            } catch (Throwable e) {
                thrown = e;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(thrown).as(c.field()).isInstanceOf(OnnxFormatException.class)
                    .hasMessageContaining(c.message()).hasMessageContaining("over the limit");
            if (threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
                assertThat(allocated).as("bytes allocated parsing a " + c.model().length + "-byte model with a huge "
                        + c.field()).isLessThan(c.model().length + (1L << 20));
            }
        }
    }

    /** A one-node model (Relu) with, optionally, an initializer and attributes. */
    private static byte[] bigModel(Proto initializer, Proto attribute) {
        Proto node = attribute == null
                ? Proto.node("Relu", "r", new String[] {"x"}, new String[] {"y"})
                : Proto.node("Relu", "r", new String[] {"x"}, new String[] {"y"}, attribute);
        Proto graph = Proto.graph("big").message(1, node).message(11, Proto.valueInfo("x", Proto.FLOAT, 1, 4))
                .message(12, Proto.valueInfo("y", Proto.FLOAT, 1, 4));
        if (initializer != null) {
            graph.message(5, initializer);
        }
        return Proto.model(13, graph).toByteArray();
    }
}
