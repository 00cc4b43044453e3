package dev.verity.inference.generate;

import dev.verity.inference.IntegerMath;
import dev.verity.inference.Requantize;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import java.util.Arrays;

/**
 * Picks the next token from integer logits {@code L[0..V)} of real scale {@code s} (the logits tensor's quantization),
 * in integer arithmetic only:
 *
 * <pre>
 *   temperature 0:  the first index of the largest logit (ties to the lowest id)
 *   otherwise, T = temperatureMilli:
 *     d[i] = max L - L[i]                                              (64 bits, >= 0)
 *     x[i] = rq(divRoundHalfEven(d[i] * 1000 * 2^20, T), s / 2^4)      d * s / (T / 1000) in Q16; rq saturates at
 *                                                                      2^31 - 1, where exp is already 0
 *     w[i] = IntegerMath.expNegative(x[i])                             exp(-x) in Q30: the unnormalized softmax
 *     order: by logit descending, ties by id ascending
 *     keep the shortest prefix of the order whose weight sum K satisfies K * 1000 >= topPMilli * W
 *         (W the sum of all weights; at least one token; 128-bit products)
 *     r = floor(draw * K / 2^64)                                       (draw read as unsigned: r in [0, K))
 *     the token: the first in the order whose running weight sum exceeds r
 * </pre>
 *
 * So a token's chance is its weight over {@code K}, up to {@code K / 2^64}; top-p 0 (or one dominant token) keeps only
 * the greedy choice.
 */
public final class Sampler {
    /** Fraction bits of the logit differences divided by the temperature, before the scale takes 4 of them off. */
    static final int QUOTIENT_FRACTION_BITS = IntegerMath.EXP_ARGUMENT_BITS + 4;
    /** Largest shift of the logit scale (so {@code s / 2^4} stays in the requantization range): scales of at least 2^-30. */
    static final int MAX_LOGIT_SHIFT = Requantize.MAX_SHIFT - 4;

    private Sampler() {}

    /** The first index of the largest value. */
    public static int greedy(Tensor logits) {
        int best = 0;
        for (int i = 1; i < logits.elementCount(); i++) {
            if (logits.get(i) > logits.get(best)) {
                best = i;
            }
        }
        return best;
    }

    /** The next token (see the class comment); {@code draw} is ignored at temperature 0. */
    public static int sample(Tensor logits, Requantization scale, int temperatureMilli, int topPMilli, long draw) {
        if (temperatureMilli == 0) {
            return greedy(logits);
        }
        int[] order = order(logits);
        long[] w = weights(logits, scale, temperatureMilli);
        long total = 0;
        for (long v : w) {
            total += v;
        }
        long kept = 0;
        int count = 0;
        while (count < order.length) {
            kept += w[order[count++]];
            if (productAtLeast(kept, GenerationParameters.MAX_TOP_P_MILLI, topPMilli, total)) {
                break;
            }
        }
        long r = Math.unsignedMultiplyHigh(draw, kept);
        long running = 0;
        for (int j = 0; j < count; j++) {
            running += w[order[j]];
            if (running > r) {
                return order[j];
            }
        }
        return order[0]; // unreachable: running reaches kept > r (kept >= w[order[0]] = 2^30 > 0)
    }

    /** The weights {@code w[i]} of the class comment, in id order. */
    public static long[] weights(Tensor logits, Requantization scale, int temperatureMilli) {
        if (temperatureMilli < 1) {
            throw new IllegalArgumentException("weights need a positive temperature, got " + temperatureMilli);
        }
        checkScale(scale);
        int n = logits.elementCount();
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits.get(i));
        }
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            long d = max - logits.get(i); // < 2^32, so the numerator below is < 2^62
            long quotient = Requantize.divRoundHalfEven((d * 1000) << QUOTIENT_FRACTION_BITS, temperatureMilli);
            w[i] = IntegerMath.expNegative(Requantize.requantize(quotient, scale.multiplier(), scale.shift() + 4));
        }
        return w;
    }

    /** Refuses a logit scale the weights cannot use: not positive, or below 2^-30. */
    static void checkScale(Requantization scale) {
        if (scale.multiplier() <= 0 || scale.shift() > MAX_LOGIT_SHIFT) {
            throw new IllegalArgumentException("the logit scale must be positive and at least 2^-30, is " + scale);
        }
    }

    /** Token ids by logit descending, ties by id ascending. */
    static int[] order(Tensor logits) {
        int n = logits.elementCount();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Integer.MAX_VALUE - logits.get(i)) << 31 | i; // in [0, 2^63): sorts as wanted
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] & Integer.MAX_VALUE);
        }
        return order;
    }

    /** {@code a * b >= c * d} for non-negative values, with exact 128-bit products. */
    static boolean productAtLeast(long a, long b, long c, long d) {
        long hi1 = Math.multiplyHigh(a, b);
        long hi2 = Math.multiplyHigh(c, d);
        if (hi1 != hi2) {
            return hi1 > hi2;
        }
        return Long.compareUnsigned(a * b, c * d) >= 0;
    }
}
