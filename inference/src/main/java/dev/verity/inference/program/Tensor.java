package dev.verity.inference.program;

import java.util.Arrays;

/**
 * An immutable integer tensor: element type, row-major shape and values. Values are handed in and out
 * as {@code int[]} or, for int8, {@code byte[]}; every accessor copies, so a tensor never changes.
 * Its canonical bytes ({@link #canonicalBytes()}) are the elements in row-major order, two's
 * complement, big-endian, {@link DType#width()} bytes each.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int[] values;

    private Tensor(DType dtype, int[] shape, int[] values) {
        this.dtype = dtype;
        this.shape = shape;
        this.values = values;
    }

    /** A tensor of the given type and shape; each value must lie in the type's range. */
    public static Tensor of(DType dtype, int[] shape, int[] values) {
        int[] s = shape.clone();
        int n = Shapes.elementCount(s, "tensor");
        if (values.length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " needs " + n + " values, got " + values.length);
        }
        for (int v : values) {
            if (v < dtype.min() || v > dtype.max()) {
                throw new IllegalArgumentException("value " + v + " outside the " + dtype + " range");
            }
        }
        return new Tensor(dtype, s, values.clone());
    }

    public static Tensor ofInt8(int[] shape, byte[] values) {
        int[] s = shape.clone();
        int n = Shapes.elementCount(s, "tensor");
        if (values.length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " needs " + n + " values, got " + values.length);
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = values[i];
        }
        return new Tensor(DType.INT8, s, v);
    }

    public static Tensor zeros(DType dtype, int[] shape) {
        int[] s = shape.clone();
        return new Tensor(dtype, s, new int[Shapes.elementCount(s, "tensor")]);
    }

    /** Reads the canonical bytes of a tensor of the given type and shape. */
    public static Tensor fromCanonicalBytes(DType dtype, int[] shape, byte[] bytes) {
        int[] s = shape.clone();
        int n = Shapes.elementCount(s, "tensor");
        int w = dtype.width();
        if ((long) n * w != bytes.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " of " + dtype + " needs "
                    + ((long) n * w) + " bytes, got " + bytes.length);
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            int x = 0;
            for (int k = 0; k < w; k++) {
                x = (x << 8) | (bytes[i * w + k] & 0xFF);
            }
            v[i] = w == 1 ? (byte) x : w == 2 ? (short) x : x;
        }
        return new Tensor(dtype, s, v);
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        return values.length;
    }

    public int get(int flatIndex) {
        return values[flatIndex];
    }

    public int[] values() {
        return values.clone();
    }

    /** The values of an int8 tensor as bytes. */
    public byte[] int8Values() {
        if (dtype != DType.INT8) {
            throw new IllegalStateException("not an int8 tensor: " + dtype);
        }
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Elements in row-major order, two's complement, big-endian, {@code dtype.width()} bytes each. */
    public byte[] canonicalBytes() {
        int w = dtype.width();
        byte[] b = new byte[values.length * w];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            for (int k = 0; k < w; k++) {
                b[i * w + k] = (byte) (v >> (8 * (w - 1 - k)));
            }
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return (dtype.code() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype + ", " + Arrays.toString(shape) + ")";
    }
}
