package dev.verity.inference.engine;

import dev.verity.inference.program.Gather;
import dev.verity.inference.program.TensorSpec;

/** {@link Gather}: output element {@code e} is column {@code e % width} of the row named by index {@code e / width}. */
final class GatherKernel extends OpKernel {
    private final int rows;
    private final int width;
    private final byte zero;

    GatherKernel(TensorSpec table) {
        rows = table.dim(0);
        width = table.dim(1);
        zero = (byte) table.zeroPoint();
    }

    @Override
    void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
        byte[] table = in[0].b;
        int[] indices = in[1].i;
        byte[] y = out.b;
        for (int e = from; e < to; e++) {
            int i = e / width;
            int row = indices[i];
            y[e] = row >= 0 && row < rows ? table[row * width + (e - i * width)] : zero;
        }
    }
}
