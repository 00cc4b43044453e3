package dev.verity.inference.engine;

import dev.verity.inference.program.CausalSoftmax;
import dev.verity.inference.program.TensorSpec;

/** {@link CausalSoftmax}: rows of the last axis; row {@code r} is row {@code r % rowsPerMatrix} of its matrix. */
final class CausalSoftmaxKernel extends OpKernel {
    private final int keys;
    private final int rowsPerMatrix;
    private final int[] exp;

    CausalSoftmaxKernel(CausalSoftmax op, TensorSpec x) {
        keys = x.dim(x.rank() - 1);
        rowsPerMatrix = x.dim(x.rank() - 2);
        exp = op.expTable();
    }

    @Override
    void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
        if (from >= to || keys == 0) {
            return;
        }
        byte[] x = in[0].b;
        long position = in[1].i[0];
        byte[] y = out.b;
        for (int row = from / keys; row <= (to - 1) / keys; row++) {
            int base = row * keys;
            long last = position + row % rowsPerMatrix; // the last key this row sees
            int visible = (int) Math.max(0, Math.min(keys, last + 1));
            int lo = Math.max(from, base);
            int hi = Math.min(to, base + keys);
            if (visible == 0) {
                for (int e = lo; e < hi; e++) {
                    y[e] = (byte) -128;
                }
                continue;
            }
            int max = SoftmaxRows.max(x, base, 1, visible);
            long sum = SoftmaxRows.sum(x, base, 1, visible, max, exp);
            for (int e = lo; e < hi; e++) {
                y[e] = e - base < visible ? SoftmaxRows.probability(exp[max - x[e]], sum) : (byte) -128;
            }
        }
    }
}
