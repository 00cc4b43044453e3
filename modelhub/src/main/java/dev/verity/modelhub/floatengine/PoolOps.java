package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import java.util.Map;

/** MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool, over any number of spatial axes. */
final class PoolOps {
    private PoolOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("MaxPool", PoolOps::maxPool);
        ops.put("AveragePool", PoolOps::averagePool);
        ops.put("GlobalAveragePool", c -> global(c, true));
        ops.put("GlobalMaxPool", c -> global(c, false));
    }

    private static Window window(OpContext c, FloatTensor x) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException("X must be [N, C, spatial...], got " + Shapes.str(x.dims()));
        }
        long[] kernel = c.intsAttr("kernel_shape", null);
        if (kernel == null) {
            throw new IllegalArgumentException("attribute kernel_shape is required");
        }
        if (kernel.length != x.rank() - 2) {
            throw new IllegalArgumentException("kernel_shape has " + kernel.length + " axes, X has " + (x.rank() - 2)
                    + " spatial axes");
        }
        return new Window(Window.spatial(x.dims()), Shapes.toIntShape(kernel), c, c.intAttr("ceil_mode", 0) != 0);
    }

    /**
     * MaxPool; padding never wins. The optional Indices output holds each maximum's flat index into X (the first
     * maximum in window order), row-major, or with storage_order=1 column-major over the two spatial axes.
     */
    private static FloatTensor[] maxPool(OpContext c) {
        FloatTensor x = c.floatInput(0);
        Window win = window(c, x);
        int planes = x.dim(0) * x.dim(1);
        boolean columnMajor = c.intAttr("storage_order", 0) != 0;
        boolean indices = c.wantsOutput(1);
        if (indices && columnMajor && win.inShape.length != 2) {
            throw c.unsupported("storage_order=1 Indices are only supported for 2-D pooling");
        }
        int[] shape = Window.withBatchAndChannels(x.dim(0), x.dim(1), win.outShape);
        float[] out = new float[Shapes.size(shape)];
        long[] argmax = indices ? new long[out.length] : null;
        int ks = win.kernelSize;
        for (int p = 0; p < planes; p++) {
            int xBase = p * win.inSize;
            for (int o = 0; o < win.outSize; o++) {
                float best = Float.NEGATIVE_INFINITY;
                int bestIndex = -1;
                for (int q = 0; q < ks; q++) {
                    int index = win.table[o * ks + q];
                    if (index >= 0 && (bestIndex < 0 || x.floats[xBase + index] > best)) {
                        best = x.floats[xBase + index];
                        bestIndex = index;
                    }
                }
                out[p * win.outSize + o] = best;
                if (indices) {
                    long flat = bestIndex;
                    if (columnMajor && bestIndex >= 0) {
                        int h = bestIndex / win.inShape[1];
                        int w = bestIndex % win.inShape[1];
                        flat = h + (long) w * win.inShape[0];
                    }
                    argmax[p * win.outSize + o] = (long) xBase + flat;
                }
            }
        }
        FloatTensor y = FloatTensor.wrap(shape, out);
        return indices ? new FloatTensor[] {y, FloatTensor.wrapLongs(DataType.INT64, shape, argmax)}
                : OpContext.one(y);
    }

    /**
     * AveragePool. The divisor is the number of window positions inside X (count_include_pad=0, the default) or
     * inside X and its padding (count_include_pad=1); positions past the padding (ceil_mode) never count.
     */
    private static FloatTensor[] averagePool(OpContext c) {
        FloatTensor x = c.floatInput(0);
        Window win = window(c, x);
        boolean includePad = c.intAttr("count_include_pad", 0) != 0;
        int planes = x.dim(0) * x.dim(1);
        int[] shape = Window.withBatchAndChannels(x.dim(0), x.dim(1), win.outShape);
        float[] out = new float[Shapes.size(shape)];
        int ks = win.kernelSize;
        for (int p = 0; p < planes; p++) {
            int xBase = p * win.inSize;
            for (int o = 0; o < win.outSize; o++) {
                double sum = 0;
                int count = 0;
                for (int q = 0; q < ks; q++) {
                    int index = win.table[o * ks + q];
                    if (index >= 0) {
                        sum += x.floats[xBase + index];
                        count++;
                    } else if (index == Window.PAD && includePad) {
                        count++;
                    }
                }
                out[p * win.outSize + o] = (float) (sum / count);
            }
        }
        return OpContext.one(FloatTensor.wrap(shape, out));
    }

    private static FloatTensor[] global(OpContext c, boolean average) {
        FloatTensor x = c.floatInput(0);
        if (x.rank() < 3) {
            throw new IllegalArgumentException("X must be [N, C, spatial...], got " + Shapes.str(x.dims()));
        }
        int planes = x.dim(0) * x.dim(1);
        int size = Shapes.product(x.dims(), 2, x.rank());
        int[] shape = x.shape();
        for (int i = 2; i < shape.length; i++) {
            shape[i] = 1;
        }
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                float v = x.floats[p * size + i];
                sum += v;
                max = Math.max(max, v);
            }
            out[p] = average ? (float) (sum / size) : max;
        }
        return OpContext.one(FloatTensor.wrap(shape, out));
    }
}
