package dev.verity.modelhub.floatengine;

import java.util.Arrays;
import java.util.Map;

/** Gemm, MatMul, Conv and ConvTranspose. Dot products accumulate in double, in index order, rounded once. */
final class LinearOps {
    private LinearOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("Gemm", LinearOps::gemm);
        ops.put("MatMul", LinearOps::matMul);
        ops.put("Conv", LinearOps::conv);
        ops.put("ConvTranspose", LinearOps::convTranspose);
    }

    /** Y = alpha * A' B' + beta * C, with A' = transA ? A^T : A (M x K), B' = transB ? B^T : B (K x N). */
    private static FloatTensor[] gemm(OpContext c) {
        FloatTensor a = c.floatInput(0);
        FloatTensor b = c.floatInput(1);
        FloatTensor bias = c.hasInput(2) ? c.floatInput(2) : null;
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("A and B must be matrices, got shapes " + Shapes.str(a.dims())
                    + " and " + Shapes.str(b.dims()));
        }
        boolean transA = c.intAttr("transA", 0) != 0;
        boolean transB = c.intAttr("transB", 0) != 0;
        double alpha = c.floatAttr("alpha", 1f);
        double beta = c.floatAttr("beta", 1f);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("inner dimensions differ: A' is " + m + "x" + k + ", B' is " + kb + "x"
                    + n + " (A " + Shapes.str(a.dims()) + ", transA=" + transA + "; B " + Shapes.str(b.dims())
                    + ", transB=" + transB + ")");
        }
        int[] shape = {m, n};
        int[] biasIndex = bias == null ? null : Shapes.broadcastIndex(bias.dims(), shape);
        float[] out = new float[Shapes.size(shape)];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a.floats[p * m + i] : a.floats[i * k + p];
                    float bv = transB ? b.floats[j * k + p] : b.floats[p * n + j];
                    sum += (double) av * bv;
                }
                double y = alpha * sum;
                if (bias != null) {
                    y += beta * bias.floats[biasIndex[i * n + j]];
                }
                out[i * n + j] = (float) y;
            }
        }
        return OpContext.one(FloatTensor.wrap(shape, out));
    }

    /** numpy.matmul semantics: 1-D operands are promoted and the added axis removed; batch axes broadcast. */
    private static FloatTensor[] matMul(OpContext c) {
        FloatTensor a = c.floatInput(0);
        FloatTensor b = c.floatInput(1);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("MatMul operands must have rank >= 1");
        }
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.dims();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.dims();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new IllegalArgumentException("inner dimensions differ: " + Shapes.str(a.dims()) + " x "
                    + Shapes.str(b.dims()));
        }
        int[] aBatch = Arrays.copyOf(as, as.length - 2);
        int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast(aBatch, bBatch);
        int[] ia = Shapes.broadcastIndex(aBatch, batch);
        int[] ib = Shapes.broadcastIndex(bBatch, batch);
        float[] out = new float[Shapes.size(new int[] {ia.length, m, n})];
        for (int t = 0; t < ia.length; t++) {
            int aOff = ia[t] * m * k;
            int bOff = ib[t] * k * n;
            int oOff = t * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (double) a.floats[aOff + i * k + p] * b.floats[bOff + p * n + j];
                    }
                    out[oOff + i * n + j] = (float) sum;
                }
            }
        }
        // Output shape: batch + [m, n], minus the axes added for 1-D operands.
        int[] shape = new int[batch.length + (a.rank() == 1 ? 0 : 1) + (b.rank() == 1 ? 0 : 1)];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        int next = batch.length;
        if (a.rank() != 1) {
            shape[next++] = m;
        }
        if (b.rank() != 1) {
            shape[next] = n;
        }
        return OpContext.one(FloatTensor.wrap(shape, out));
    }

    /**
     * Conv over any number of spatial axes: X [N, C, D...], W [M, C/group, K...], optional B [M]. Each output is
     * the double sum over input channels and kernel positions (row-major), plus the bias, rounded once.
     */
    private static FloatTensor[] conv(OpContext c) {
        FloatTensor x = c.floatInput(0);
        FloatTensor w = c.floatInput(1);
        FloatTensor bias = c.hasInput(2) ? c.floatInput(2) : null;
        if (x.rank() < 3 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("X must be [N, C, spatial...] and W [M, C/group, kernel...] of the"
                    + " same rank; got X " + Shapes.str(x.dims()) + ", W " + Shapes.str(w.dims()));
        }
        int batch = x.dim(0);
        int channels = x.dim(1);
        int maps = w.dim(0);
        int group = Math.toIntExact(c.intAttr("group", 1));
        if (group < 1 || channels % group != 0 || maps % group != 0 || w.dim(1) != channels / group) {
            throw new IllegalArgumentException("X has " + channels + " channels and W is " + Shapes.str(w.dims())
                    + ", which does not fit group=" + group);
        }
        int[] kernel = Window.spatial(w.dims());
        long[] kernelAttr = c.intsAttr("kernel_shape", null);
        if (kernelAttr != null && !Arrays.equals(Shapes.toIntShape(kernelAttr), kernel)) {
            throw new IllegalArgumentException("kernel_shape " + Arrays.toString(kernelAttr)
                    + " differs from W's spatial shape " + Arrays.toString(kernel));
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != maps)) {
            throw new IllegalArgumentException("B must have shape [" + maps + "], got " + Shapes.str(bias.dims()));
        }
        Window win = new Window(Window.spatial(x.dims()), kernel, c, false);
        int channelsPerGroup = channels / group;
        int mapsPerGroup = maps / group;
        int ks = win.kernelSize;
        float[] out = new float[Shapes.size(Window.withBatchAndChannels(batch, maps, win.outShape))];
        for (int n = 0; n < batch; n++) {
            for (int map = 0; map < maps; map++) {
                int g = map / mapsPerGroup;
                int outBase = (n * maps + map) * win.outSize;
                for (int o = 0; o < win.outSize; o++) {
                    double sum = 0;
                    for (int ci = 0; ci < channelsPerGroup; ci++) {
                        int xBase = (n * channels + g * channelsPerGroup + ci) * win.inSize;
                        int wBase = (map * channelsPerGroup + ci) * ks;
                        for (int q = 0; q < ks; q++) {
                            int index = win.table[o * ks + q];
                            if (index >= 0) {
                                sum += (double) x.floats[xBase + index] * w.floats[wBase + q];
                            }
                        }
                    }
                    if (bias != null) {
                        sum += bias.floats[map];
                    }
                    out[outBase + o] = (float) sum;
                }
            }
        }
        return OpContext.one(FloatTensor.wrap(Window.withBatchAndChannels(batch, maps, win.outShape), out));
    }

    /**
     * ConvTranspose: X [N, C, D...], W [C, M/group, K...], optional B [M]. Output position o receives x[i] * w[q]
     * for o = i * stride - pad_begin + q * dilation; sums accumulate in double (over input channel, input position,
     * kernel position, in that order) and are rounded once.
     */
    private static FloatTensor[] convTranspose(OpContext c) {
        FloatTensor x = c.floatInput(0);
        FloatTensor w = c.floatInput(1);
        FloatTensor bias = c.hasInput(2) ? c.floatInput(2) : null;
        if (x.rank() < 3 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("X must be [N, C, spatial...] and W [C, M/group, kernel...] of the"
                    + " same rank; got X " + Shapes.str(x.dims()) + ", W " + Shapes.str(w.dims()));
        }
        int k = x.rank() - 2;
        int batch = x.dim(0);
        int channels = x.dim(1);
        int group = Math.toIntExact(c.intAttr("group", 1));
        if (group < 1 || channels % group != 0 || w.dim(0) != channels) {
            throw new IllegalArgumentException("X has " + channels + " channels and W is " + Shapes.str(w.dims())
                    + ", which does not fit group=" + group);
        }
        int mapsPerGroup = w.dim(1);
        int maps = mapsPerGroup * group;
        int channelsPerGroup = channels / group;
        int[] in = Window.spatial(x.dims());
        int[] kernel = Window.spatial(w.dims());
        int[] strides = attr(c, "strides", k, 1);
        int[] dilations = attr(c, "dilations", k, 1);
        int[] outputPadding = attr(c, "output_padding", k, 0);
        int[] pads = attr(c, "pads", 2 * k, 0);
        long[] outputShapeAttr = c.intsAttr("output_shape", null);
        String autoPad = c.stringAttr("auto_pad", "NOTSET");
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int extent = (kernel[i] - 1) * dilations[i] + 1;
            int full = strides[i] * (in[i] - 1) + outputPadding[i] + extent;
            if (outputShapeAttr != null || autoPad.startsWith("SAME")) {
                if (outputShapeAttr != null) {
                    // output_shape may list only the spatial axes, or all of them
                    long v = outputShapeAttr[outputShapeAttr.length - k + i];
                    out[i] = Math.toIntExact(v);
                } else {
                    out[i] = in[i] * strides[i];
                }
                // An output larger than the full result is padded with zeros at the end (total clamped at 0).
                int total = Math.max(0, full - out[i]);
                if (autoPad.equals("SAME_UPPER")) {
                    pads[i] = total / 2;
                    pads[i + k] = total - total / 2;
                } else {
                    pads[i] = total - total / 2;
                    pads[i + k] = total / 2;
                }
            } else {
                if (autoPad.equals("VALID")) {
                    pads[i] = 0;
                    pads[i + k] = 0;
                }
                out[i] = full - pads[i] - pads[i + k];
            }
            if (out[i] < 0) {
                throw new IllegalArgumentException("negative output size on spatial axis " + i);
            }
        }
        int inSize = Shapes.product(in, 0, k);
        int kernelSize = Shapes.product(kernel, 0, k);
        int outSize = Shapes.size(out);
        int[] outStrides = Shapes.strides(out);
        // For each (input position, kernel position), the output position written, or -1.
        int[] target = new int[Shapes.size(new int[] {inSize, kernelSize})];
        int[] ii = new int[k];
        for (int ip = 0; ip < inSize; ip++) {
            int[] q = new int[k];
            for (int kq = 0; kq < kernelSize; kq++) {
                int index = 0;
                for (int d = 0; d < k && index >= 0; d++) {
                    int pos = ii[d] * strides[d] - pads[d] + q[d] * dilations[d];
                    index = pos >= 0 && pos < out[d] ? index + pos * outStrides[d] : -1;
                }
                target[ip * kernelSize + kq] = index;
                advance(q, kernel);
            }
            advance(ii, in);
        }
        float[] result = new float[Shapes.size(Window.withBatchAndChannels(batch, maps, out))];
        double[] acc = new double[outSize];
        for (int n = 0; n < batch; n++) {
            for (int map = 0; map < maps; map++) {
                int g = map / mapsPerGroup;
                int m = map % mapsPerGroup;
                Arrays.fill(acc, 0);
                for (int ci = 0; ci < channelsPerGroup; ci++) {
                    int channel = g * channelsPerGroup + ci;
                    int xBase = (n * channels + channel) * inSize;
                    int wBase = (channel * mapsPerGroup + m) * kernelSize;
                    for (int ip = 0; ip < inSize; ip++) {
                        double xv = x.floats[xBase + ip];
                        for (int kq = 0; kq < kernelSize; kq++) {
                            int o = target[ip * kernelSize + kq];
                            if (o >= 0) {
                                acc[o] += xv * w.floats[wBase + kq];
                            }
                        }
                    }
                }
                int base = (n * maps + map) * outSize;
                for (int o = 0; o < outSize; o++) {
                    result[base + o] = (float) (acc[o] + (bias == null ? 0 : bias.floats[map]));
                }
            }
        }
        return OpContext.one(FloatTensor.wrap(Window.withBatchAndChannels(batch, maps, out), result));
    }

    private static void advance(int[] index, int[] shape) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < shape[i]) {
                return;
            }
            index[i] = 0;
        }
    }

    private static int[] attr(OpContext c, String name, int length, int fallback) {
        long[] values = c.intsAttr(name, null);
        int[] result = new int[length];
        if (values == null) {
            Arrays.fill(result, fallback);
            return result;
        }
        if (values.length != length) {
            throw new IllegalArgumentException(name + " " + Arrays.toString(values) + " should have " + length
                    + " values");
        }
        for (int i = 0; i < length; i++) {
            result[i] = Math.toIntExact(values[i]);
        }
        return result;
    }
}
