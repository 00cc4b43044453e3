package dev.verity.inference.engine;

import dev.verity.inference.Requantize;

/** The arithmetic of one softmax row, shared by {@code Softmax} and {@code CausalSoftmax}. */
final class SoftmaxRows {
    private SoftmaxRows() {}

    /** The largest of {@code count} elements {@code x[base + t * stride]}. */
    static int max(byte[] x, int base, int stride, int count) {
        int m = Integer.MIN_VALUE;
        for (int t = 0; t < count; t++) {
            m = Math.max(m, x[base + t * stride]);
        }
        return m;
    }

    /** {@code sum_t exp[max - x[base + t * stride]]}, 64 bits, {@code t} ascending. */
    static long sum(byte[] x, int base, int stride, int count, int max, int[] exp) {
        long s = 0;
        for (int t = 0; t < count; t++) {
            s += exp[max - x[base + t * stride]];
        }
        return s;
    }

    /** {@code clamp(divRoundHalfEven(e * 256, sum) - 128, -128, 127)}: the uint8-like probability. */
    static byte probability(int e, long sum) {
        long q = Requantize.divRoundHalfEven((long) e * 256, sum);
        return (byte) Requantize.clamp(q - 128, -128, 127);
    }
}
