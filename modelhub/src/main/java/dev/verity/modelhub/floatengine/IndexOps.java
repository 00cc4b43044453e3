package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Indexing operators: GatherND, ScatterElements (and the older Scatter), ScatterND, Compress, OneHot, TopK, NonZero
 * and ReverseSequence.
 */
final class IndexOps {
    private IndexOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("GatherND", IndexOps::gatherND);
        ops.put("ScatterElements", IndexOps::scatterElements);
        ops.put("Scatter", IndexOps::scatterElements);
        ops.put("ScatterND", IndexOps::scatterND);
        ops.put("Compress", IndexOps::compress);
        ops.put("OneHot", IndexOps::oneHot);
        ops.put("TopK", IndexOps::topK);
        ops.put("NonZero", IndexOps::nonZero);
        ops.put("ReverseSequence", IndexOps::reverseSequence);
    }

    private static int index(long value, int length) {
        if (value < -length || value >= length) {
            throw new IllegalArgumentException("index " + value + " is out of range for an axis of size " + length);
        }
        return (int) (value < 0 ? value + length : value);
    }

    /** A mutable copy of a tensor's values, written through {@link #set}. */
    private static final class Values {
        final FloatTensor source;
        final float[] floats;
        final long[] longs;

        Values(FloatTensor t) {
            source = t;
            floats = t.isFloat() ? t.floats.clone() : null;
            longs = t.isFloat() ? null : t.longs.clone();
        }

        void set(int i, FloatTensor from, int j, String reduction) {
            if (floats != null) {
                float v = from.floats[j];
                floats[i] = switch (reduction) {
                    case "add" -> floats[i] + v;
                    case "mul" -> floats[i] * v;
                    case "max" -> Math.max(floats[i], v);
                    case "min" -> Math.min(floats[i], v);
                    default -> v;
                };
            } else {
                long v = from.longs[j];
                longs[i] = switch (reduction) {
                    case "add" -> longs[i] + v;
                    case "mul" -> longs[i] * v;
                    case "max" -> Math.max(longs[i], v);
                    case "min" -> Math.min(longs[i], v);
                    default -> v;
                };
            }
        }

        FloatTensor tensor() {
            return floats != null ? FloatTensor.wrap(source.dims(), floats)
                    : FloatTensor.wrapLongs(source.type(), source.dims(), longs);
        }
    }

    private static String reduction(OpContext c) {
        String r = c.stringAttr("reduction", "none");
        if (!List.of("none", "add", "mul", "max", "min").contains(r)) {
            throw new IllegalArgumentException("unknown reduction '" + r + "'");
        }
        return r;
    }

    /** GatherND with batch_dims: output shape = indices[:-1] + data[batch_dims + k:]. */
    private static FloatTensor[] gatherND(OpContext c) {
        FloatTensor data = c.input(0);
        long[] indices = c.int64Input(1);
        int[] ishape = c.input(1).dims();
        int b = Math.toIntExact(c.intAttr("batch_dims", 0));
        int k = ishape[ishape.length - 1];
        if (b + k > data.rank()) {
            throw new IllegalArgumentException("indices of depth " + k + " with batch_dims " + b
                    + " do not fit data " + Shapes.str(data.dims()));
        }
        int batches = Shapes.product(data.dims(), 0, b);
        int perBatch = Shapes.product(ishape, b, ishape.length - 1);
        int slice = Shapes.product(data.dims(), b + k, data.rank());
        int batchSize = Shapes.product(data.dims(), b, data.rank());
        int[] strides = Shapes.strides(Arrays.copyOfRange(data.dims(), b, data.rank()));
        int[] shape = new int[ishape.length - 1 + data.rank() - b - k];
        System.arraycopy(ishape, 0, shape, 0, ishape.length - 1);
        System.arraycopy(data.dims(), b + k, shape, ishape.length - 1, data.rank() - b - k);
        int[] map = new int[Shapes.size(shape)];
        int out = 0;
        for (int batch = 0; batch < batches; batch++) {
            for (int p = 0; p < perBatch; p++) {
                int offset = batch * batchSize;
                int tuple = (batch * perBatch + p) * k;
                for (int j = 0; j < k; j++) {
                    offset += index(indices[tuple + j], data.dim(b + j)) * strides[j];
                }
                for (int s = 0; s < slice; s++) {
                    map[out++] = offset + s;
                }
            }
        }
        return OpContext.one(ShapeOps.select(data, shape, map));
    }

    private static FloatTensor[] scatterElements(OpContext c) {
        FloatTensor data = c.input(0);
        long[] indices = c.int64Input(1);
        int[] ishape = c.input(1).dims();
        FloatTensor updates = c.input(2);
        if (updates.type() != data.type() || !Arrays.equals(updates.dims(), ishape) || ishape.length != data.rank()) {
            throw new IllegalArgumentException("indices and updates must have one shape, of the rank of data");
        }
        int axis = Shapes.axis(c.intAttr("axis", 0), data.rank(), "axis");
        String reduction = reduction(c);
        int[] strides = Shapes.strides(data.dims());
        Values out = new Values(data);
        ShapeOps.forEachIndex(ishape, (position, flat) -> {
            int target = 0;
            for (int i = 0; i < position.length; i++) {
                int coordinate = i == axis ? index(indices[flat], data.dim(axis)) : position[i];
                if (coordinate >= data.dim(i)) {
                    throw new IllegalArgumentException("indices exceed data off the axis");
                }
                target += coordinate * strides[i];
            }
            out.set(target, updates, flat, reduction);
        });
        return OpContext.one(out.tensor());
    }

    private static FloatTensor[] scatterND(OpContext c) {
        FloatTensor data = c.input(0);
        long[] indices = c.int64Input(1);
        int[] ishape = c.input(1).dims();
        FloatTensor updates = c.input(2);
        int k = ishape[ishape.length - 1];
        if (k > data.rank() || updates.type() != data.type()) {
            throw new IllegalArgumentException("indices of depth " + k + " do not fit data " + Shapes.str(data.dims()));
        }
        int tuples = Shapes.product(ishape, 0, ishape.length - 1);
        int slice = Shapes.product(data.dims(), k, data.rank());
        if (updates.size() != tuples * slice) {
            throw new IllegalArgumentException("updates " + Shapes.str(updates.dims()) + " do not fit indices "
                    + Shapes.str(ishape) + " and data " + Shapes.str(data.dims()));
        }
        String reduction = reduction(c);
        int[] strides = Shapes.strides(data.dims());
        Values out = new Values(data);
        for (int t = 0; t < tuples; t++) {
            int offset = 0;
            for (int j = 0; j < k; j++) {
                offset += index(indices[t * k + j], data.dim(j)) * strides[j];
            }
            for (int s = 0; s < slice; s++) {
                out.set(offset + s, updates, t * slice + s, reduction);
            }
        }
        return OpContext.one(out.tensor());
    }

    /** Compress: the slices along axis (or elements of the flattened input) whose condition is true. */
    private static FloatTensor[] compress(OpContext c) {
        FloatTensor x = c.input(0);
        FloatTensor condition = c.input(1);
        if (condition.type() != DataType.BOOL || condition.rank() != 1) {
            throw new IllegalArgumentException("condition must be a 1-D BOOL tensor");
        }
        boolean flatten = !c.hasAttr("axis");
        int[] shape = flatten ? new int[] {x.size()} : x.shape();
        int axis = flatten ? 0 : Shapes.axis(c.intAttr("axis", 0), x.rank(), "axis");
        if (condition.size() > shape[axis]) {
            throw new IllegalArgumentException("condition is longer than the axis");
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < condition.size(); i++) {
            if (condition.longs[i] != 0) {
                kept.add(i);
            }
        }
        int outer = Shapes.product(shape, 0, axis);
        int inner = Shapes.product(shape, axis + 1, shape.length);
        int[] outShape = shape.clone();
        outShape[axis] = kept.size();
        int[] map = new int[Shapes.size(outShape)];
        int out = 0;
        for (int o = 0; o < outer; o++) {
            for (int keep : kept) {
                for (int j = 0; j < inner; j++) {
                    map[out++] = (o * shape[axis] + keep) * inner + j;
                }
            }
        }
        return OpContext.one(ShapeOps.select(x, outShape, map));
    }

    /** OneHot: indices (any numeric type, truncated), depth, values [off, on]; the new axis is inserted at axis. */
    private static FloatTensor[] oneHot(OpContext c) {
        FloatTensor indices = c.input(0);
        long depth = (long) c.input(1).getDouble(0);
        FloatTensor values = c.input(2);
        if (values.size() != 2 || depth < 1) {
            throw new IllegalArgumentException("values must hold [off, on] and depth must be positive");
        }
        int rank = indices.rank() + 1;
        long axisAttr = c.intAttr("axis", -1);
        int axis = Shapes.axis(axisAttr, rank, "axis");
        int[] shape = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) {
            shape[i] = i == axis ? Math.toIntExact(depth) : indices.dim(k++);
        }
        int outer = Shapes.product(shape, 0, axis);
        int inner = Shapes.product(shape, axis + 1, rank);
        int[] map = new int[Shapes.size(shape)];
        for (int o = 0; o < outer; o++) {
            for (int d = 0; d < depth; d++) {
                for (int j = 0; j < inner; j++) {
                    long v = (long) indices.getDouble(o * inner + j);
                    if (v < 0) {
                        v += depth;
                    }
                    map[(o * (int) depth + d) * inner + j] = v == d ? 1 : 0;
                }
            }
        }
        return OpContext.one(ShapeOps.select(values, shape, map));
    }

    /** TopK along axis: the k largest (or smallest) values, sorted, ties by lower index; and their indices. */
    private static FloatTensor[] topK(OpContext c) {
        FloatTensor x = c.input(0);
        long[] kValues = c.opset >= 10 ? c.int64Input(1) : new long[] {c.intAttr("k", 0)};
        int axis = Shapes.axis(c.intAttr("axis", -1), x.rank(), "axis");
        boolean largest = c.intAttr("largest", 1) != 0;
        if (kValues.length != 1 || kValues[0] < 0 || kValues[0] > x.dim(axis)) {
            throw new IllegalArgumentException("k must be one value in [0, " + x.dim(axis) + "]");
        }
        int k = (int) kValues[0];
        int outer = Shapes.product(x.dims(), 0, axis);
        int length = x.dim(axis);
        int inner = Shapes.product(x.dims(), axis + 1, x.rank());
        int[] shape = x.shape();
        shape[axis] = k;
        int[] map = new int[Shapes.size(shape)];
        long[] positions = new long[map.length];
        Comparator<Integer> byValue = (a, b) -> Double.compare(x.getDouble(a), x.getDouble(b));
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                Integer[] order = new Integer[length];
                for (int i = 0; i < length; i++) {
                    order[i] = (o * length + i) * inner + j;
                }
                // stable sort: equal values keep their index order
                Arrays.sort(order, largest ? byValue.reversed() : byValue);
                for (int i = 0; i < k; i++) {
                    int at = (o * k + i) * inner + j;
                    map[at] = order[i];
                    positions[at] = (order[i] / inner) % length;
                }
            }
        }
        return new FloatTensor[] {ShapeOps.select(x, shape, map),
            FloatTensor.wrapLongs(DataType.INT64, shape, positions)};
    }

    /** NonZero: the coordinates of the non-zero elements, [rank, count], in row-major order. */
    private static FloatTensor[] nonZero(OpContext c) {
        FloatTensor x = c.input(0);
        List<int[]> found = new ArrayList<>();
        ShapeOps.forEachIndex(x.dims(), (position, flat) -> {
            if (x.getDouble(flat) != 0) {
                found.add(position.clone());
            }
        });
        int rank = x.rank();
        long[] out = new long[rank * found.size()];
        for (int i = 0; i < found.size(); i++) {
            for (int d = 0; d < rank; d++) {
                out[d * found.size() + i] = found.get(i)[d];
            }
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, new int[] {rank, found.size()}, out));
    }

    /** ReverseSequence: reverses the first sequence_lens[b] steps along time_axis for each batch b. */
    private static FloatTensor[] reverseSequence(OpContext c) {
        FloatTensor x = c.input(0);
        long[] lengths = c.int64Input(1);
        int batchAxis = Math.toIntExact(c.intAttr("batch_axis", 1));
        int timeAxis = Math.toIntExact(c.intAttr("time_axis", 0));
        if (x.rank() < 2 || batchAxis == timeAxis || Math.max(batchAxis, timeAxis) > 1
                || lengths.length != x.dim(batchAxis)) {
            throw new IllegalArgumentException("batch_axis and time_axis must be 0 and 1, with one length per batch");
        }
        int[] strides = Shapes.strides(x.dims());
        int[] map = new int[x.size()];
        ShapeOps.forEachIndex(x.dims(), (position, flat) -> {
            long length = lengths[position[batchAxis]];
            int t = position[timeAxis];
            int source = t < length ? (int) (length - 1 - t) : t;
            map[flat] = flat + (source - t) * strides[timeAxis];
        });
        return OpContext.one(ShapeOps.select(x, x.dims(), map));
    }
}
