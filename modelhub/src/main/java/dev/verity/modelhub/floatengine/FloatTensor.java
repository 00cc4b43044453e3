package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.TensorData;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable tensor of the float engine: a shape and row-major values. Most tensors are {@link DataType#FLOAT};
 * shape arithmetic (Shape, Gather on shapes, Reshape targets, ...) uses {@link DataType#INT64}, and comparisons produce
 * {@link DataType#BOOL} (held as 0/1 longs). Those three are the only element types the engine computes with.
 *
 * <p>{@link #data()} and {@link #longs()} return copies; values are never shared with callers.
 */
public final class FloatTensor {
    private static final long[] NO_LONGS = new long[0];
    private static final float[] NO_FLOATS = new float[0];

    private final DataType type;
    private final int[] shape;
    // Exactly one of these is used: floats for FLOAT, longs for INT64 and BOOL. Never exposed without copying.
    final float[] floats;
    final long[] longs;

    /** A FLOAT tensor; {@code data.length} must equal the product of {@code shape}. Both arrays are copied. */
    public FloatTensor(int[] shape, float[] data) {
        this(DataType.FLOAT, shape.clone(), data.clone(), NO_LONGS);
    }

    private FloatTensor(DataType type, int[] shape, float[] floats, long[] longs) {
        Objects.requireNonNull(shape, "shape");
        long size = Shapes.size(shape);
        int length = type == DataType.FLOAT ? floats.length : longs.length;
        if (length != size) {
            throw new IllegalArgumentException("a " + type + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + size + " values, got " + length);
        }
        this.type = type;
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
    }

    /** A FLOAT tensor: {@code FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2)}. */
    public static FloatTensor of(float[] data, int... shape) {
        return new FloatTensor(shape, data);
    }

    /** A rank-0 FLOAT tensor. */
    public static FloatTensor scalar(float value) {
        return wrap(new int[0], new float[] {value});
    }

    /** An INT64 tensor; arrays are copied. */
    public static FloatTensor ofInt64(int[] shape, long[] values) {
        return new FloatTensor(DataType.INT64, shape.clone(), NO_FLOATS, values.clone());
    }

    /** A BOOL tensor; arrays are copied. */
    public static FloatTensor ofBool(int[] shape, boolean[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = values[i] ? 1 : 0;
        }
        return new FloatTensor(DataType.BOOL, shape.clone(), NO_FLOATS, bits);
    }

    /**
     * Converts a constant tensor. FLOAT, INT64 and BOOL keep their type; INT8, UINT8 and INT32 are refused, because
     * the float engine does not compute with them.
     */
    public static FloatTensor fromTensorData(TensorData t) {
        int[] shape = Shapes.toIntShape(t.dims());
        return switch (t.type()) {
            case FLOAT -> wrap(shape, t.floats());
            case INT64 -> wrapLongs(DataType.INT64, shape, t.longs());
            case BOOL -> wrapLongs(DataType.BOOL, shape, t.longs());
            default -> throw new IllegalArgumentException("tensor '" + t.name() + "' has element type " + t.type()
                    + "; the float engine computes with FLOAT, INT64 and BOOL tensors only");
        };
    }

    /** This tensor as a constant, named {@code name}. */
    public TensorData toTensorData(String name) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        return type == DataType.FLOAT ? TensorData.ofFloats(name, dims, floats)
                : TensorData.ofLongs(name, type, dims, longs);
    }

    // Package-private constructors that take ownership of the arrays (no copies), for the operators.

    static FloatTensor wrap(int[] shape, float[] data) {
        return new FloatTensor(DataType.FLOAT, shape, data, NO_LONGS);
    }

    static FloatTensor wrapLongs(DataType type, int[] shape, long[] data) {
        if (type != DataType.INT64 && type != DataType.BOOL) {
            throw new IllegalArgumentException("long values are for INT64 and BOOL tensors, not " + type);
        }
        return new FloatTensor(type, shape, NO_FLOATS, data);
    }

    public DataType type() {
        return type;
    }

    public boolean isFloat() {
        return type == DataType.FLOAT;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The shape without copying, for the engine's own use. */
    int[] dims() {
        return shape;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements. */
    public int size() {
        return type == DataType.FLOAT ? floats.length : longs.length;
    }

    /** The values of a FLOAT tensor, row-major (a copy). */
    public float[] data() {
        if (type != DataType.FLOAT) {
            throw new IllegalStateException("a " + type + " tensor has no float data; use longs()");
        }
        return floats.clone();
    }

    /** The values of an INT64 or BOOL (0/1) tensor, row-major (a copy). */
    public long[] longs() {
        if (type == DataType.FLOAT) {
            throw new IllegalStateException("a FLOAT tensor has no long data; use data()");
        }
        return longs.clone();
    }

    /** Element {@code i} (row-major) as a double, whatever the type. */
    public double getDouble(int i) {
        return type == DataType.FLOAT ? floats[i] : longs[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && type == t.type && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats) && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(longs));
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder b = new StringBuilder("FloatTensor(").append(type).append(' ').append(Arrays.toString(shape))
                .append(" [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(type == DataType.FLOAT ? Float.toString(floats[i]) : longs[i]);
        }
        return b.append(size() > n ? ", ...])" : "])").toString();
    }
}
