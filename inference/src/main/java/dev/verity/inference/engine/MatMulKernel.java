package dev.verity.inference.engine;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.TensorSpec;

/**
 * {@link QMatMul}: output element {@code e} is row {@code e / n} (batch and row of {@code a}) and column {@code e % n}.
 * With {@code b} transposed each output is a dot product of two contiguous rows, which the vector kernels take; the
 * plain layout reads a column of {@code b} with a stride and runs the same loop in both kernel sets.
 */
final class MatMulKernel extends OpKernel {
    private final int rows;
    private final int n;
    private final int depth;
    private final boolean transposeB;
    private final int za;
    private final int zb;
    private final int zy;
    private final int multiplier;
    private final int shift;
    private final int min;
    private final int max;

    MatMulKernel(QMatMul op, TensorSpec a, TensorSpec b, TensorSpec y) {
        int rank = a.rank();
        rows = a.dim(rank - 2);
        depth = a.dim(rank - 1);
        n = y.dim(rank - 1);
        transposeB = op.transposeB();
        za = a.zeroPoint();
        zb = b.zeroPoint();
        zy = y.zeroPoint();
        multiplier = op.requant().multiplier();
        shift = op.requant().shift();
        min = y.dtype().min();
        max = y.dtype().max();
    }

    @Override
    void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
        byte[] a = in[0].b;
        byte[] b = in[1].b;
        int[] acc = new int[Math.min(n, Math.max(0, to - from))];
        int e = from;
        while (e < to) {
            int row = e / n;
            int n0 = e - row * n;
            int count = Math.min(n - n0, to - e);
            int batch = row / rows;
            int aOff = row * depth;
            if (transposeB) {
                k.centeredDots(a, aOff, za, b, (batch * n + n0) * depth, count, depth, zb, acc);
            } else {
                int bBase = batch * depth * n + n0;
                for (int c = 0; c < count; c++) {
                    int sum = 0;
                    for (int i = 0; i < depth; i++) {
                        sum += (a[aOff + i] - za) * (b[bBase + i * n + c] - zb);
                    }
                    acc[c] = sum;
                }
            }
            for (int c = 0; c < count; c++) {
                out.set(e + c, Requantize.requantize(acc[c], multiplier, shift, zy, min, max));
            }
            e += count;
        }
    }
}
