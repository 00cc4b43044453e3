package dev.verity.inference;

/** Exact integer functions the fixed-point ops share; each result is the one written in its comment, on every machine. */
public final class IntegerMath {
    private IntegerMath() {}

    /** {@code floor(sqrt(v))} for {@code v >= 0}, exactly (digit by digit, two bits at a time). */
    public static long floorSqrt(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("square root of a negative number: " + v);
        }
        long rest = v;
        long root = 0;
        long bit = 1L << 62;
        while (bit > rest) {
            bit >>= 2;
        }
        while (bit != 0) {
            if (rest >= root + bit) {
                rest -= root + bit;
                root = (root >> 1) + bit;
            } else {
                root >>= 1;
            }
            bit >>= 2;
        }
        return root;
    }

    /**
     * {@code floor(2^31 / sqrt(v))} for {@code v >= 1}, computed as {@code floorSqrt(floor(2^62 / v))} (equal, since
     * {@code floor(sqrt(floor(x))) = floor(sqrt(x))} for real {@code x >= 0}). At most {@code 2^31}.
     */
    public static long reciprocalSqrt(long v) {
        if (v < 1) {
            throw new IllegalArgumentException("reciprocal square root needs a positive argument, got " + v);
        }
        return floorSqrt((1L << 62) / v);
    }
}
