package dev.verity.modelhub.quantize;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.floatengine.FloatTensor;

/**
 * The bridge between reals and the integer program, used at import time only (floating point is allowed
 * here, never in the program): real factors to fixed point, and float tensors to and from int8.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /**
     * The fixed-point form of {@code real}: {@code multiplier * 2^-(31+shift)} with {@code |multiplier|} in
     * {@code [2^30, 2^31)} and the multiplier rounded to nearest. Factors too small for the shift range lose
     * precision (down to 0); factors of 2^31 and more saturate.
     */
    public static Requantization of(double real) {
        if (Double.isNaN(real) || Double.isInfinite(real)) {
            throw new IllegalArgumentException("cannot represent " + real + " in fixed point");
        }
        if (real == 0) {
            return new Requantization(0, 0);
        }
        double a = Math.abs(real);
        int shift = -1 - Math.getExponent(a); // a * 2^(31+shift) in [2^30, 2^31)
        long m;
        if (shift > Requantize.MAX_SHIFT) {
            shift = Requantize.MAX_SHIFT;
            m = Math.round(Math.scalb(a, 31 + shift));
        } else if (shift < Requantize.MIN_SHIFT) {
            shift = Requantize.MIN_SHIFT;
            m = Integer.MAX_VALUE;
        } else {
            m = Math.round(Math.scalb(a, 31 + shift));
            if (m == 1L << 31) {
                if (shift > Requantize.MIN_SHIFT) {
                    m = 1L << 30;
                    shift--;
                } else {
                    m = Integer.MAX_VALUE;
                }
            }
        }
        int signed = (int) (real < 0 ? -m : m);
        return new Requantization(signed, shift);
    }

    /** The real value of a fixed-point factor. */
    public static double value(Requantization r) {
        return Math.scalb((double) r.multiplier(), -(31 + r.shift()));
    }

    /** The real scale of a quantization. */
    public static double scale(Quantization q) {
        return value(q.scale());
    }

    /**
     * Asymmetric int8 quantization of the range {@code [min, max]}, widened to contain 0 so that 0 is
     * exact: {@code scale = (max - min) / 255} (taken through fixed point), {@code zeroPoint = round(-128 - min/scale)}.
     */
    public static Quantization asymmetric(double min, double max) {
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        if (Double.isNaN(lo) || Double.isNaN(hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("activation range is not finite: [" + min + ", " + max + "]");
        }
        double range = hi - lo;
        if (range == 0) {
            range = 1.0; // a tensor that is always zero: any scale represents it exactly
        }
        Requantization scale = of(range / 255.0);
        double s = value(scale);
        long zp = Math.round(-128.0 - lo / s);
        zp = Math.max(-128, Math.min(127, zp));
        return new Quantization((int) zp, scale);
    }

    /** A quantization with a given fixed scale and zero point. */
    public static Quantization fixed(double scale, int zeroPoint) {
        return new Quantization(zeroPoint, of(scale));
    }

    /** {@code clamp(round(x / scale) + zeroPoint, lo, hi)}, ties to even. */
    public static int quantize(double x, Quantization q, int lo, int hi) {
        double v = Math.rint(x / scale(q)) + q.zeroPoint();
        if (Double.isNaN(v)) {
            return q.zeroPoint();
        }
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /** A float tensor quantized to int8. */
    public static Tensor quantize(FloatTensor t, Quantization q) {
        float[] data = t.data();
        int[] v = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            v[i] = quantize(data[i], q, -128, 127);
        }
        return Tensor.of(DType.INT8, t.shape(), v);
    }

    /** An int8 tensor back to reals: {@code (q - zeroPoint) * scale}. */
    public static FloatTensor dequantize(Tensor t, Quantization q) {
        double s = scale(q);
        float[] f = new float[t.elementCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) ((t.get(i) - q.zeroPoint()) * s);
        }
        return new FloatTensor(t.shape(), f);
    }
}
