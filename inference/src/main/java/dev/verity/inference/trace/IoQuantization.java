package dev.verity.inference.trace;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.Arrays;

/**
 * The conversion between job bytes (float32 little-endian, row-major) and the program's integer tensors,
 * computed exactly on the IEEE-754 bit patterns with integer arithmetic, so that nodes and the chain (which
 * may not use floating point) share one definition. A tensor's real scale is
 * {@code s = multiplier * 2^-(31 + shift)} (its {@link Quantization#scale()}).
 *
 * <ul>
 *   <li>Input: {@code q = clamp(roundHalfEven(x / s) + zeroPoint, -128, 127)} on the exact rational value of
 *       {@code x / s}; NaN gives {@code zeroPoint}, infinities (and any {@code x != 0} over a zero scale) the
 *       clamp bound of the quotient's sign.</li>
 *   <li>Output: {@code (q - zeroPoint) * s} rounded once, to nearest with ties to even, to float32
 *       (subnormals and overflow to infinity as IEEE-754 has them); a zero product is {@code +0.0}.</li>
 * </ul>
 */
public final class IoQuantization {
    /** A quotient magnitude far beyond every clamp bound, so saturating to it changes no result. */
    private static final long HUGE = 1L << 40;

    private IoQuantization() {}

    /** The job input as the int8 tensor of {@code spec}'s shape. */
    public static Tensor quantizeInput(byte[] float32le, TensorSpec spec) {
        if (spec.dtype() != DType.INT8) {
            throw new IllegalArgumentException("input '" + spec.name() + "' is " + spec.dtype() + "; job inputs quantize to INT8");
        }
        int n = spec.elementCount();
        if (float32le.length != 4L * n) {
            throw new IllegalArgumentException("input '" + spec.name() + "' of shape " + Arrays.toString(spec.shape())
                    + " takes " + n + " float32 values (" + 4L * n + " bytes), got " + float32le.length + " bytes");
        }
        byte[] q = new byte[n];
        for (int i = 0; i < n; i++) {
            int bits = (float32le[4 * i] & 0xFF) | (float32le[4 * i + 1] & 0xFF) << 8 | (float32le[4 * i + 2] & 0xFF) << 16
                    | (float32le[4 * i + 3] & 0xFF) << 24;
            q[i] = (byte) quantize(bits, spec.quantization());
        }
        return Tensor.ofInt8(spec.shape(), q);
    }

    /** The tensor (of {@code spec}'s type and shape) as float32 little-endian bytes. */
    public static byte[] dequantizeOutput(Tensor t, TensorSpec spec) {
        if (t.dtype() != spec.dtype() || !Arrays.equals(t.shape(), spec.shape())) {
            throw new IllegalArgumentException("output " + t + " does not match " + spec);
        }
        int n = t.elementCount();
        byte[] out = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            int bits = dequantize(t.get(i), spec.quantization());
            out[4 * i] = (byte) bits;
            out[4 * i + 1] = (byte) (bits >>> 8);
            out[4 * i + 2] = (byte) (bits >>> 16);
            out[4 * i + 3] = (byte) (bits >>> 24);
        }
        return out;
    }

    /** One float32 (given by its bits) quantized to int8 (see the class comment). */
    public static int quantize(int floatBits, Quantization q) {
        int zp = q.zeroPoint();
        long multiplier = q.scale().multiplier();
        int biased = (floatBits >>> 23) & 0xFF;
        int fraction = floatBits & 0x7F_FFFF;
        boolean negative = (floatBits < 0) != (multiplier < 0);
        if (biased == 0xFF && fraction != 0) {
            return Requantize.clamp(zp, -128, 127);
        }
        long mant = biased == 0 ? fraction : fraction | 0x80_0000;
        if (mant == 0) { // +-0: the quotient is 0, or NaN over a zero scale; both give the zero point
            return Requantize.clamp(zp, -128, 127);
        }
        long magnitude;
        if (biased == 0xFF || multiplier == 0) {
            magnitude = HUGE;
        } else {
            long m = Math.abs(multiplier);
            int e = (biased == 0 ? 1 : biased) - 150 + 31 + q.scale().shift(); // |x / s| = mant * 2^e / m
            magnitude = e >= 0 ? (bitLength(mant) + e > 62 ? HUGE : Requantize.divRoundHalfEven(mant << e, m))
                    : (bitLength(m) - e > 62 ? 0 : Requantize.divRoundHalfEven(mant, m << -e));
            magnitude = Math.min(magnitude, HUGE);
        }
        return Requantize.clamp((negative ? -magnitude : magnitude) + zp, -128, 127);
    }

    /** The float32 bits of {@code (value - zeroPoint) * scale} (see the class comment). */
    public static int dequantize(int value, Quantization q) {
        long p = ((long) value - q.zeroPoint()) * q.scale().multiplier(); // below 2^32 * 2^31: exact in a long
        return float32Bits(p < 0, Math.abs(p), -(31 + q.scale().shift()));
    }

    /**
     * The float32 bits of {@code +-magnitude * 2^exponent}, rounded to nearest, ties to even: subnormal below
     * 2^-126, infinity when the rounded value reaches 2^128. {@code magnitude} must not be negative.
     */
    public static int float32Bits(boolean negative, long magnitude, int exponent) {
        if (magnitude < 0) {
            throw new IllegalArgumentException("magnitude must not be negative: " + magnitude);
        }
        int sign = negative ? 0x8000_0000 : 0;
        if (magnitude == 0) {
            return sign;
        }
        int bits = bitLength(magnitude);
        long top = (long) bits - 1 + exponent; // the value lies in [2^top, 2^(top+1))
        if (top > 127) {
            return sign | 0x7F80_0000;
        }
        // drop the bits below the float's quantum: 24 significant bits, or 2^-149 for subnormals
        long drop = top >= -126 ? bits - 24 : -149L - exponent;
        long m;
        if (drop <= 0) {
            m = magnitude << -drop; // exact: fewer than 24 bits
        } else if (drop >= 64) {
            m = 0; // below half the smallest subnormal (magnitude < 2^63 <= half)
        } else {
            m = magnitude >>> drop;
            long rem = magnitude & ((1L << drop) - 1);
            long half = 1L << (drop - 1);
            if (rem > half || (rem == half && (m & 1) == 1)) {
                m++;
            }
        }
        if (m == 0) {
            return sign;
        }
        long e = exponent + drop; // the value is now m * 2^e exactly
        int mBits = bitLength(m);
        long topNow = mBits - 1 + e;
        if (topNow > 127) {
            return sign | 0x7F80_0000;
        }
        if (topNow < -126) {
            return sign | (int) m; // subnormal: e == -149, m < 2^23
        }
        long frac = mBits <= 24 ? m << (24 - mBits) : m >>> (mBits - 24); // m = 2^24 after rounding is exact
        return sign | (int) ((topNow + 127) << 23) | (int) (frac & 0x7F_FFFF);
    }

    private static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }
}
