package dev.verity.modelhub.floatengine;

import java.util.Arrays;

/** Shape arithmetic shared by the operators. */
final class Shapes {
    private Shapes() {}

    /** Element count of a shape; refuses negative dimensions and tensors over the engine's element limit. */
    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > FloatEngine.MAX_TENSOR_ELEMENTS) {
                throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " has more than "
                        + FloatEngine.MAX_TENSOR_ELEMENTS + " elements, over the float engine's limit");
            }
        }
        return (int) n;
    }

    static int[] toIntShape(long[] dims) {
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid dimension " + dims[i] + " in shape " + Arrays.toString(dims));
            }
            shape[i] = (int) dims[i];
        }
        size(shape);
        return shape;
    }

    /** Row-major strides. */
    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** Product of {@code shape[from..to)}. */
    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    /** The multidirectional (numpy) broadcast of two shapes. */
    static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        size(out);
        return out;
    }

    /**
     * For each element of a tensor of shape {@code out}, the row-major index of the element of a tensor of shape
     * {@code in} that broadcasts to it. {@code in} must broadcast to {@code out}.
     */
    static int[] broadcastIndex(int[] in, int[] out) {
        int n = size(out);
        int[] index = new int[n];
        if (Arrays.equals(in, out)) {
            for (int i = 0; i < n; i++) {
                index[i] = i;
            }
            return index;
        }
        int rank = out.length;
        int offset = rank - in.length;
        if (offset < 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(in) + " cannot be broadcast to "
                    + Arrays.toString(out));
        }
        // Input strides aligned to the output's axes; 0 where the input is broadcast.
        int[] inStrides = strides(in);
        int[] stride = new int[rank];
        for (int i = 0; i < in.length; i++) {
            if (in[i] != out[i + offset] && in[i] != 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(in) + " cannot be broadcast to "
                        + Arrays.toString(out));
            }
            stride[i + offset] = in[i] == 1 ? 0 : inStrides[i];
        }
        int[] counter = new int[rank];
        int position = 0;
        for (int i = 0; i < n; i++) {
            index[i] = position;
            // Advance the multi-index like an odometer, keeping the input position in step.
            for (int axis = rank - 1; axis >= 0; axis--) {
                counter[axis]++;
                position += stride[axis];
                if (counter[axis] < out[axis]) {
                    break;
                }
                position -= stride[axis] * counter[axis];
                counter[axis] = 0;
            }
        }
        return index;
    }

    /** Normalizes an axis in {@code [-rank, rank)} to {@code [0, rank)}. */
    static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
