package dev.verity.inference.trace;

import dev.verity.inference.TestPrograms;
import dev.verity.inference.program.Clamp;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QAdd;
import dev.verity.inference.program.QMul;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Rescale;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.List;
import java.util.Random;

/** Programs and job inputs for the trace tests; job inputs are made from float32 bit patterns, without floats. */
final class TraceFixtures {
    private TraceFixtures() {}

    static final Quantization Q = new Quantization(3, new Requantization(1 << 30, 6)); // scale 1/128

    /** Every op kind (conv, linear, softmax, concat, ...), in slices of {@code slice} elements. */
    static Program zoo(int slice) {
        return TestPrograms.zoo(slice);
    }

    /**
     * An input read twice by one op and last by a later one, a program output that is also read, an op output
     * nobody reads (dropped after its last slice), in slices of 4.
     */
    static Program liveness() {
        int[] shape = {1, 10};
        List<TensorSpec> t = List.of(spec("x", shape), spec("a", shape), spec("m", shape), spec("dead", shape),
                spec("z", shape));
        return new Program(t, List.of("x"), List.of("z", "a"), List.of(),
                List.of(new Clamp("x", "a", -100, 100),
                        new QMul("a", "a", "m", new Requantization(1 << 30, 6), -128, 127),
                        new Clamp("x", "dead", -5, 5),
                        new QAdd("m", "x", "z", 1_500_000, 1_000_000, 21, -128, 127)),
                4);
    }

    /** A program whose input no op reads: the first step drops it. */
    static Program unreadInput() {
        List<TensorSpec> t = List.of(spec("x", new int[] {1, 4}), spec("k", new int[] {1, 8}), spec("r", new int[] {1, 8}));
        Constant k = new Constant("k", Tensor.of(DType.INT8, new int[] {1, 8}, new int[] {-128, -7, 0, 1, 2, 50, 100, 127}));
        return new Program(t, List.of("x"), List.of("r"), List.of(k),
                List.of(new Rescale("k", "r", new Requantization(1_500_000_000, 0), -128, 127)), 3);
    }

    static TensorSpec spec(String name, int[] shape) {
        return new TensorSpec(name, DType.INT8, shape, Q);
    }

    /** Job input bytes: float32 little-endian values with exponents around 1 (and some zeros, NaN, infinities). */
    static byte[] jobInput(Program p, long seed) {
        int n = p.tensor(p.inputs().get(0)).elementCount();
        Random rnd = new Random(seed);
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            int bits = switch (rnd.nextInt(40)) {
                case 0 -> 0;
                case 1 -> 0x7FC0_0000; // NaN
                case 2 -> 0xFF80_0000; // -Inf
                default -> (rnd.nextBoolean() ? 0x8000_0000 : 0) | (118 + rnd.nextInt(10)) << 23 | rnd.nextInt(1 << 23);
            };
            b[4 * i] = (byte) bits;
            b[4 * i + 1] = (byte) (bits >>> 8);
            b[4 * i + 2] = (byte) (bits >>> 16);
            b[4 * i + 3] = (byte) (bits >>> 24);
        }
        return b;
    }
}
