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

    /** Fraction bits of {@link #expNegative}'s result. */
    public static final int EXP_RESULT_BITS = 30;
    /** Fraction bits of {@link #expNegative}'s argument. */
    public static final int EXP_ARGUMENT_BITS = 16;
    /** {@code round(log2(e) * 2^30)}. */
    static final long LOG2_E = 1_549_082_005L;
    /** {@code round(ln(2) * 2^30)}. */
    static final long LN_2 = 744_261_118L;
    private static final int TAYLOR_TERMS = 11;

    /**
     * {@code exp(-x)} in Q30 for {@code x = xQ16 / 2^16} in {@code [0, 2^15]}, by integer steps only:
     *
     * <pre>
     *   y = xQ16 * LOG2_E                                 x / ln 2 in Q46 (exact product)
     *   k = y >> 46,  f = (y >> 16) mod 2^30              exp(-x) = 2^-k * 2^-(f / 2^30)
     *   z = floor(f * LN_2 / 2^30)                        f * ln 2 in Q30, in [0, ln 2)
     *   p = 2^30;  for j = 11 down to 1: p = 2^30 - floor(floor(z * p / 2^30) / j)
     *                                                     Horner form of the Taylor series of exp(-z)
     *   result = k >= 31 ? 0 : p >> k
     * </pre>
     *
     * Exactly {@code 2^30} at 0, never negative, within a few units of {@code 2^30 * exp(-x)}.
     */
    public static long expNegative(long xQ16) {
        if (xQ16 < 0 || xQ16 > 1L << 31) {
            throw new IllegalArgumentException("expNegative takes x in [0, 2^15] as Q16, got " + xQ16);
        }
        long y = xQ16 * LOG2_E;
        long k = y >> (EXP_ARGUMENT_BITS + 30);
        if (k >= 31) {
            return 0;
        }
        long one = 1L << EXP_RESULT_BITS;
        long f = (y >> EXP_ARGUMENT_BITS) & (one - 1);
        long z = (f * LN_2) >> 30;
        long p = one;
        for (int j = TAYLOR_TERMS; j >= 1; j--) {
            p = one - ((z * p) >> EXP_RESULT_BITS) / j;
        }
        return p >> k;
    }
}
