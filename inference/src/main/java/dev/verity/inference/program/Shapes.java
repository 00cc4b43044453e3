package dev.verity.inference.program;

import java.util.Arrays;

/** Shape arithmetic shared by the program validator and the engine. Shapes are row-major. */
public final class Shapes {
    /** The largest rank a program tensor may have. */
    public static final int MAX_RANK = 8;

    private Shapes() {}

    /** Number of elements; refuses negative dimensions, ranks above {@link #MAX_RANK} and counts above 2^31-1. */
    public static int elementCount(int[] shape, String what) {
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException(what + ": rank " + shape.length + " above " + MAX_RANK);
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(what + ": negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + ": more than 2^31-1 elements in " + Arrays.toString(shape));
            }
        }
        return (int) n;
    }

    /** Row-major strides. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * ONNX multidirectional broadcasting of two shapes: align on the right, each pair of dimensions equal
     * or one of them 1.
     */
    public static int[] broadcast(int[] a, int[] b, String what) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(what + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides of {@code shape} seen through the output shape {@code out} (same or lower rank, aligned on
     * the right): 0 for broadcast dimensions.
     */
    public static int[] broadcastStrides(int[] shape, int[] out) {
        int[] own = strides(shape);
        int[] s = new int[out.length];
        int off = out.length - shape.length;
        for (int i = 0; i < out.length; i++) {
            if (i >= off && shape[i - off] != 1) {
                s[i] = own[i - off];
            }
        }
        return s;
    }

    /**
     * Output size of a pooling or convolution window along one axis, with ONNX's floor or ceil mode:
     * {@code (in + padBegin + padEnd - ((kernel - 1) * dilation + 1)) / stride + 1}, rounding the division
     * down or up; in ceil mode a last window that would start in the end padding is dropped.
     */
    public static int windowOutput(int in, int kernel, int stride, int padBegin, int padEnd, int dilation, boolean ceil) {
        long span = (long) (kernel - 1) * dilation + 1;
        long room = (long) in + padBegin + padEnd - span;
        if (room < 0) {
            return 0;
        }
        long out = (ceil ? (room + stride - 1) / stride : room / stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + padBegin) {
            out--;
        }
        return (int) Math.min(out, Integer.MAX_VALUE);
    }

    public static boolean sameShape(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
