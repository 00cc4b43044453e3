package dev.verity.inference.engine;

import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.TensorSpec;

/**
 * {@link CacheWrite}: the cache viewed as {@code [outer, length, inner]} around the axis; elements
 * {@code [o, position, 0..inner)} come from {@code update[o, 0..inner)}, every other element from the cache.
 */
final class CacheWriteKernel extends OpKernel {
    private final int length;
    private final int inner;

    CacheWriteKernel(CacheWrite op, TensorSpec cache) {
        int[] shape = cache.shape();
        length = shape[op.axis()];
        int in = 1;
        for (int d = op.axis() + 1; d < shape.length; d++) {
            in *= shape[d];
        }
        inner = in;
    }

    @Override
    void compute(Buf[] in, Buf out, int from, int to, Kernels k) {
        Buf cache = in[0];
        Buf update = in[1];
        long position = in[2].i[0];
        for (int e = from; e < to; e++) {
            int t = (e / inner) % length;
            if (t == position) {
                int o = e / (inner * length);
                out.set(e, update.get(o * inner + e % inner));
            } else {
                out.set(e, cache.get(e));
            }
        }
    }
}
