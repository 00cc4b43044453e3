package dev.verity.inference.engine;

import dev.verity.inference.IntegerMath;
import dev.verity.inference.Requantize;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.TensorSpec;

/** {@link LayerNorm}: the statistics of each row a slice touches are computed from the whole row, in the op's order. */
final class LayerNormKernel extends OpKernel {
    private static final int ROUNDING_SHIFT = 31 - LayerNorm.FRACTION_BITS;

    private final int width;
    private final int[] gamma;
    private final int[] beta;
    private final long epsilon;
    private final int zx;
    private final int zy;
    private final int multiplier;
    private final int shift;

    LayerNormKernel(LayerNorm op, TensorSpec x, TensorSpec y) {
        width = op.width();
        gamma = op.gamma();
        beta = op.beta();
        epsilon = op.epsilon();
        zx = x.zeroPoint();
        zy = y.zeroPoint();
        multiplier = op.requant().multiplier();
        shift = op.requant().shift();
    }

    @Override
    void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
        if (from >= to) {
            return;
        }
        byte[] x = in[0].b;
        byte[] y = out.b;
        for (int row = from / width; row <= (to - 1) / width; row++) {
            int base = row * width;
            long s1 = 0;
            long s2 = 0;
            for (int i = 0; i < width; i++) {
                long d = x[base + i] - zx;
                s1 += d;
                s2 += d * d;
            }
            long variance = width * s2 - s1 * s1;
            long r = IntegerMath.reciprocalSqrt(Math.max(1, variance + epsilon));
            for (int e = Math.max(from, base); e < Math.min(to, base + width); e++) {
                int i = e - base;
                long centred = width * (long) (x[e] - zx) - s1;
                long normalized = Requantize.divRoundHalfEven(centred * r, 1L << ROUNDING_SHIFT);
                long acc = normalized * gamma[i] + beta[i];
                y[e] = (byte) Requantize.requantize(acc, multiplier, shift, zy, -128, 127);
            }
        }
    }
}
