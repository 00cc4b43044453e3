package dev.verity.inference;

/**
 * Fixed-point requantization and exact integer rounding, the only arithmetic by which the integer
 * engine changes scale. Everything here is exact integer arithmetic: no intermediate is ever
 * truncated, so every machine computes the same bits.
 *
 * <h2>The requantization formula</h2>
 *
 * A real factor {@code r > 0} (for instance {@code s_in * s_w / s_out}) is represented by a Q31
 * {@code multiplier} and a {@code shift}: {@code r = multiplier * 2^-(31 + shift)}, with
 * {@code multiplier} in {@code (-2^31, 2^31)} (normally in {@code [2^30, 2^31)}) and {@code shift} in
 * {@code [MIN_SHIFT, MAX_SHIFT] = [-31, 32]}, so the total right shift {@code t = 31 + shift} lies in
 * {@code [0, 63]}. Then
 *
 * <pre>
 *   requantize(acc, multiplier, shift) = saturate_int32( roundHalfEven( acc * multiplier / 2^t ) )
 * </pre>
 *
 * computed as follows (all products exact):
 * <ol>
 *   <li>{@code p = acc * multiplier} as a 128-bit two's-complement integer
 *       ({@code hi = Math.multiplyHigh(acc, multiplier)}, {@code lo = acc * multiplier});</li>
 *   <li>{@code q = floor(p / 2^t)}: the 128-bit arithmetic right shift of {@code p} by {@code t};</li>
 *   <li>{@code r = p - q * 2^t}, the low {@code t} bits of {@code p} ({@code 0 <= r < 2^t});</li>
 *   <li>if {@code t > 0}: {@code q += 1} when {@code r > 2^(t-1)}; when {@code r == 2^(t-1)} (exactly
 *       half) {@code q += 1} only if {@code q} is odd, so ties go to the even neighbour;</li>
 *   <li>the result is {@code q} clamped to {@code [Integer.MIN_VALUE, Integer.MAX_VALUE]}.</li>
 * </ol>
 * The six-argument form then adds the output zero point and clamps to the output range
 * {@code [min, max]} (for int8 outputs at most {@code [-128, 127]}):
 * {@code clamp(zeroPoint + requantize(acc, multiplier, shift), min, max)}, computed in 64 bits.
 */
public final class Requantize {
    /** Smallest allowed shift: {@code t = 0}, a pure integer multiply. */
    public static final int MIN_SHIFT = -31;
    /** Largest allowed shift: {@code t = 63}. */
    public static final int MAX_SHIFT = 32;

    private Requantize() {}

    /** {@code saturate_int32(roundHalfEven(acc * multiplier * 2^-(31+shift)))}; see the class comment. */
    public static int requantize(long acc, int multiplier, int shift) {
        if (multiplier == Integer.MIN_VALUE) {
            throw new IllegalArgumentException("multiplier must be greater than Integer.MIN_VALUE");
        }
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " outside [" + MIN_SHIFT + ", " + MAX_SHIFT + "]");
        }
        long m = multiplier;
        long hi = Math.multiplyHigh(acc, m);
        long lo = acc * m;
        int t = 31 + shift;
        long qHi;
        long qLo;
        long roundUp;
        if (t == 0) {
            qHi = hi;
            qLo = lo;
            roundUp = 0;
        } else {
            qLo = (lo >>> t) | (hi << (64 - t));
            qHi = hi >> t;
            long rem = lo & ((1L << t) - 1);
            long half = 1L << (t - 1);
            roundUp = rem > half ? 1 : rem == half ? (qLo & 1) : 0;
        }
        if (qHi != (qLo >> 63)) { // q does not fit in 64 bits
            return qHi < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        if (qLo > Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        if (qLo < Integer.MIN_VALUE - 1L) {
            return Integer.MIN_VALUE;
        }
        long r = qLo + roundUp; // cannot overflow: qLo is within [Integer.MIN_VALUE - 1, Integer.MAX_VALUE]
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : r < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r;
    }

    /** {@code clamp(zeroPoint + requantize(acc, multiplier, shift), min, max)}. */
    public static int requantize(long acc, int multiplier, int shift, int zeroPoint, int min, int max) {
        long v = (long) requantize(acc, multiplier, shift) + zeroPoint;
        return v < min ? min : v > max ? max : (int) v;
    }

    /**
     * {@code roundHalfEven(v / 2^shift)} for {@code shift} in {@code [0, 31]}: the arithmetic shift
     * {@code q = v >> shift}, plus one when the shifted-out bits exceed half, or equal half and
     * {@code q} is odd. Never overflows. Used by the element-wise add/sub kernels.
     */
    public static int shiftRoundHalfEven(int v, int shift) {
        if (shift == 0) {
            return v;
        }
        int q = v >> shift;
        int rem = v & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rem > half ? q + 1 : rem == half ? q + (q & 1) : q;
    }

    /**
     * {@code roundHalfEven(num / den)} exactly, for {@code den > 0}: {@code q = floorDiv(num, den)},
     * {@code r = num - q*den} in {@code [0, den)}, then {@code q + 1} if {@code r > den - r}, or
     * {@code q + (q & 1)} if {@code r == den - r}. Used by average pooling and softmax.
     */
    public static long divRoundHalfEven(long num, long den) {
        if (den <= 0) {
            throw new IllegalArgumentException("divisor must be positive: " + den);
        }
        long q = Math.floorDiv(num, den);
        long r = num - q * den;
        long other = den - r;
        return r > other ? q + 1 : r == other ? q + (q & 1) : q;
    }

    /** {@code v} clamped to {@code [min, max]}. */
    public static int clamp(long v, int min, int max) {
        return v < min ? min : v > max ? max : (int) v;
    }
}
