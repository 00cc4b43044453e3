package dev.verity.modelhub.graph;

import java.util.Arrays;

/**
 * A constant tensor (an initializer or a tensor attribute). Floating types hold their values in
 * {@code floats}; integer and boolean types in {@code longs}; the other array is empty.
 */
public record TensorData(String name, DataType type, long[] dims, float[] floats, long[] longs) {
    public TensorData {
        dims = dims.clone();
        floats = floats.clone();
        longs = longs.clone();
    }

    public static TensorData ofFloats(String name, long[] dims, float[] values) {
        return new TensorData(name, DataType.FLOAT, dims, values, new long[0]);
    }

    public static TensorData ofLongs(String name, DataType type, long[] dims, long[] values) {
        return new TensorData(name, type, dims, new float[0], values);
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public float[] floats() {
        return floats.clone();
    }

    @Override
    public long[] longs() {
        return longs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && type == t.type && Arrays.equals(dims, t.dims)
                && Arrays.equals(floats, t.floats) && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "TensorData(" + name + ", " + type + ", " + Arrays.toString(dims) + ")";
    }
}
