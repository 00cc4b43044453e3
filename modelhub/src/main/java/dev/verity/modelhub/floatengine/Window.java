package dev.verity.modelhub.floatengine;

import java.util.Arrays;

/**
 * The sliding-window geometry shared by Conv and the pooling operators, for any number of spatial dimensions:
 * output size from kernel, strides, dilations, pads, auto_pad and ceil_mode, and for every (output position, kernel
 * position) pair the input position it reads.
 */
final class Window {
    /** Table entry for a kernel position that falls in the (explicit or automatic) padding. */
    static final int PAD = -1;
    /** Table entry for a kernel position beyond even the padded input (only with ceil_mode). */
    static final int OUTSIDE = -2;

    final int[] inShape;
    final int[] kernel;
    final int[] strides;
    final int[] dilations;
    final int[] padBegin;
    final int[] padEnd;
    final int[] outShape;
    final int inSize;
    final int kernelSize;
    final int outSize;
    /** {@code table[o * kernelSize + q]}: the row-major input index read by output o at kernel position q, or a marker. */
    final int[] table;

    /**
     * @param inShape spatial input shape
     * @param kernel  spatial kernel shape
     * @param c       the node, for the strides, dilations, pads and auto_pad attributes
     * @param ceil    ceil_mode (pooling only)
     */
    Window(int[] inShape, int[] kernel, OpContext c, boolean ceil) {
        int k = inShape.length;
        this.inShape = inShape;
        this.kernel = kernel;
        this.strides = ints(c.intsAttr("strides", null), k, 1, "strides");
        this.dilations = ints(c.intsAttr("dilations", null), k, 1, "dilations");
        int[] pads = ints(c.intsAttr("pads", null), 2 * k, 0, "pads");
        this.padBegin = Arrays.copyOfRange(pads, 0, k);
        this.padEnd = Arrays.copyOfRange(pads, k, 2 * k);
        this.outShape = new int[k];
        String autoPad = c.stringAttr("auto_pad", "NOTSET");
        for (int i = 0; i < k; i++) {
            if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1) {
                throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + ", strides "
                        + Arrays.toString(strides) + " and dilations " + Arrays.toString(dilations)
                        + " must be positive");
            }
            int extent = (kernel[i] - 1) * dilations[i] + 1;
            switch (autoPad) {
                case "NOTSET" -> {
                    if (padBegin[i] < 0 || padEnd[i] < 0) {
                        throw new IllegalArgumentException("negative pads " + Arrays.toString(pads));
                    }
                    int span = inShape[i] + padBegin[i] + padEnd[i] - extent;
                    if (span < 0) {
                        throw new IllegalArgumentException("kernel extent " + extent + " is larger than the padded"
                                + " input (" + (inShape[i] + padBegin[i] + padEnd[i]) + ") on spatial axis " + i);
                    }
                    int out = (ceil ? Math.ceilDiv(span, strides[i]) : span / strides[i]) + 1;
                    // With ceil_mode the last window must start inside the input or its leading padding.
                    if (ceil && (out - 1) * strides[i] >= inShape[i] + padBegin[i]) {
                        out--;
                    }
                    outShape[i] = out;
                }
                case "VALID" -> {
                    padBegin[i] = 0;
                    padEnd[i] = 0;
                    outShape[i] = Math.max(0, (inShape[i] - extent) / strides[i] + 1);
                }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    int out = Math.ceilDiv(inShape[i], strides[i]);
                    int total = Math.max(0, (out - 1) * strides[i] + extent - inShape[i]);
                    int small = total / 2;
                    padBegin[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    padEnd[i] = total - padBegin[i];
                    outShape[i] = out;
                }
                default -> throw new IllegalArgumentException("unknown auto_pad '" + autoPad + "'");
            }
        }
        this.inSize = Shapes.product(inShape, 0, k);
        this.kernelSize = Shapes.product(kernel, 0, k);
        this.outSize = Shapes.size(outShape);
        Shapes.size(new int[] {outSize, kernelSize});
        this.table = buildTable();
    }

    private int[] buildTable() {
        int k = inShape.length;
        int[] result = new int[outSize * kernelSize];
        int[] inStrides = Shapes.strides(inShape);
        int[] o = new int[k];
        int[] q = new int[k];
        for (int out = 0; out < outSize; out++) {
            Arrays.fill(q, 0);
            for (int kq = 0; kq < kernelSize; kq++) {
                int index = 0;
                int marker = 0;
                for (int i = 0; i < k; i++) {
                    int pos = o[i] * strides[i] - padBegin[i] + q[i] * dilations[i];
                    if (pos >= 0 && pos < inShape[i]) {
                        index += pos * inStrides[i];
                    } else if (pos >= -padBegin[i] && pos < inShape[i] + padEnd[i]) {
                        marker = Math.min(marker, PAD);
                    } else {
                        marker = OUTSIDE;
                    }
                }
                result[out * kernelSize + kq] = marker < 0 ? marker : index;
                increment(q, kernel);
            }
            increment(o, outShape);
        }
        return result;
    }

    /** Advances a multi-index in row-major order. */
    private static void increment(int[] index, int[] shape) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < shape[i]) {
                return;
            }
            index[i] = 0;
        }
    }

    private static int[] ints(long[] values, int length, int fallback, String what) {
        int[] result = new int[length];
        if (values == null) {
            Arrays.fill(result, fallback);
            return result;
        }
        if (values.length != length) {
            throw new IllegalArgumentException(what + " " + Arrays.toString(values) + " should have " + length
                    + " values");
        }
        for (int i = 0; i < length; i++) {
            result[i] = Math.toIntExact(values[i]);
        }
        return result;
    }

    /** The spatial part of a shape [N, C, spatial...]. */
    static int[] spatial(int[] shape) {
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    /** [N, C] followed by a spatial shape. */
    static int[] withBatchAndChannels(int n, int c, int[] spatial) {
        int[] shape = new int[spatial.length + 2];
        shape[0] = n;
        shape[1] = c;
        System.arraycopy(spatial, 0, shape, 2, spatial.length);
        return shape;
    }
}
