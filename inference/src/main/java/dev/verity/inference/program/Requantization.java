package dev.verity.inference.program;

import dev.verity.inference.Requantize;

/**
 * A real, non-negative or negative, factor in fixed point: {@code value = multiplier * 2^-(31 + shift)}.
 * The quantizer computes it once at import (where floating point is allowed); the program never stores
 * a float. Used both for requantization factors (applied by {@link Requantize#requantize(long, int, int)})
 * and for the real scale of a tensor.
 *
 * @param multiplier Q31 multiplier, in {@code (-2^31, 2^31)}; normalized ones are in {@code [2^30, 2^31)}
 * @param shift in {@code [Requantize.MIN_SHIFT, Requantize.MAX_SHIFT]}
 */
public record Requantization(int multiplier, int shift) {
    /** The factor 1: {@code 2^30 * 2^-(31-1)}. */
    public static final Requantization ONE = new Requantization(1 << 30, -1);

    public Requantization {
        if (multiplier == Integer.MIN_VALUE) {
            throw new IllegalArgumentException("multiplier must be greater than Integer.MIN_VALUE");
        }
        if (shift < Requantize.MIN_SHIFT || shift > Requantize.MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " outside [" + Requantize.MIN_SHIFT + ", "
                    + Requantize.MAX_SHIFT + "]");
        }
    }

    /** {@code saturate_int32(roundHalfEven(acc * this))}. */
    public int apply(long acc) {
        return Requantize.requantize(acc, multiplier, shift);
    }
}
