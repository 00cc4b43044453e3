package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.TensorData;
import java.util.Arrays;
import java.util.Map;

/**
 * Operators that move, select or create data without arithmetic: Identity, Dropout (inference), Constant, Shape,
 * Size, Flatten, Reshape, Transpose, Concat, Squeeze, Unsqueeze, Gather, GatherElements, Slice, Split, Pad, Tile,
 * Expand, ConstantOfShape, Range, Cast, CastLike, DepthToSpace, SpaceToDepth and Trilu. They work on FLOAT, INT64 and
 * BOOL tensors alike.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("Identity", c -> OpContext.one(c.input(0)));
        ops.put("Dropout", ShapeOps::dropout);
        ops.put("Constant", ShapeOps::constant);
        ops.put("Shape", ShapeOps::shape);
        ops.put("Size", c -> OpContext.one(FloatTensor.wrapLongs(DataType.INT64, new int[0],
                new long[] {c.input(0).size()})));
        ops.put("Flatten", ShapeOps::flatten);
        ops.put("Reshape", ShapeOps::reshape);
        ops.put("Transpose", ShapeOps::transpose);
        ops.put("Concat", ShapeOps::concat);
        ops.put("Squeeze", ShapeOps::squeeze);
        ops.put("Unsqueeze", ShapeOps::unsqueeze);
        ops.put("Gather", ShapeOps::gather);
        ops.put("GatherElements", ShapeOps::gatherElements);
        ops.put("Slice", ShapeOps::slice);
        ops.put("Split", ShapeOps::split);
        ops.put("Pad", ShapeOps::pad);
        ops.put("Tile", ShapeOps::tile);
        ops.put("Expand", ShapeOps::expand);
        ops.put("ConstantOfShape", ShapeOps::constantOfShape);
        ops.put("Range", ShapeOps::range);
        ops.put("Cast", c -> OpContext.one(cast(c, c.input(0), (int) c.intAttr("to", 0))));
        ops.put("CastLike", c -> OpContext.one(cast(c, c.input(0), c.input(1).type().code())));
        ops.put("DepthToSpace", ShapeOps::depthToSpace);
        ops.put("SpaceToDepth", ShapeOps::spaceToDepth);
        ops.put("Trilu", ShapeOps::trilu);
    }

    // ---------------------------------------------------------------- helpers

    /** The same values under another shape (values are immutable, so they are shared). */
    static FloatTensor reshaped(FloatTensor t, int[] shape) {
        if (Shapes.size(shape) != t.size()) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.str(t.dims()) + " (" + t.size()
                    + " elements) to " + Shapes.str(shape));
        }
        return t.isFloat() ? FloatTensor.wrap(shape, t.floats) : FloatTensor.wrapLongs(t.type(), shape, t.longs);
    }

    /** A tensor of {@code t}'s type whose element i is {@code t}'s element {@code index[i]}. */
    static FloatTensor select(FloatTensor t, int[] shape, int[] index) {
        if (t.isFloat()) {
            float[] out = new float[index.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.floats[index[i]];
            }
            return FloatTensor.wrap(shape, out);
        }
        long[] out = new long[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.longs[index[i]];
        }
        return FloatTensor.wrapLongs(t.type(), shape, out);
    }

    /** Calls {@code visitor} with every multi-index of {@code shape}, in row-major order, and its flat index. */
    interface IndexVisitor {
        void visit(int[] index, int flat);
    }

    static void forEachIndex(int[] shape, IndexVisitor visitor) {
        int n = Shapes.size(shape);
        int[] index = new int[shape.length];
        for (int flat = 0; flat < n; flat++) {
            visitor.visit(index, flat);
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
    }

    static FloatTensor transposed(FloatTensor t, int[] perm) {
        int rank = t.rank();
        if (perm.length != rank) {
            throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " does not fit rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (perm[i] < 0 || perm[i] >= rank || seen[perm[i]]) {
                throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " is not a permutation of 0.."
                        + (rank - 1));
            }
            seen[perm[i]] = true;
            shape[i] = t.dim(perm[i]);
        }
        int[] inStrides = Shapes.strides(t.dims());
        int[] index = new int[Shapes.size(shape)];
        forEachIndex(shape, (out, flat) -> {
            int source = 0;
            for (int i = 0; i < rank; i++) {
                source += out[i] * inStrides[perm[i]];
            }
            index[flat] = source;
        });
        return select(t, shape, index);
    }

    private static int[] toInts(long[] values) {
        int[] result = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.toIntExact(values[i]);
        }
        return result;
    }

    // ---------------------------------------------------------------- operators

    /**
     * Dropout at inference: the output is the input and the optional mask is all true. Training mode with a nonzero
     * ratio (random) is refused. Before opset 7, Dropout is treated as in inference whatever is_test says.
     */
    private static FloatTensor[] dropout(OpContext c) {
        FloatTensor x = c.input(0);
        boolean training = c.hasInput(2) && c.input(2).longs[0] != 0;
        float ratio = c.hasInput(1) ? ElementwiseOps.scalarFloat(c.floatInput(1), "ratio") : c.floatAttr("ratio", 0.5f);
        if (training && ratio != 0) {
            throw c.unsupported("training mode with ratio " + ratio + " drops values at random; not supported");
        }
        FloatTensor mask = null;
        if (c.wantsOutput(1)) {
            if (c.opset >= 10) {
                long[] ones = new long[x.size()];
                Arrays.fill(ones, 1);
                mask = FloatTensor.wrapLongs(DataType.BOOL, x.dims(), ones);
            } else {
                float[] ones = new float[x.size()];
                Arrays.fill(ones, 1);
                mask = FloatTensor.wrap(x.dims(), ones);
            }
        }
        return new FloatTensor[] {x, mask};
    }

    private static FloatTensor[] constant(OpContext c) {
        Map<String, Attribute> attributes = c.node.attributes();
        if (attributes.size() != 1) {
            throw new IllegalArgumentException("Constant needs exactly one value attribute, got "
                    + attributes.keySet());
        }
        Map.Entry<String, Attribute> entry = attributes.entrySet().iterator().next();
        Attribute value = entry.getValue();
        FloatTensor result = switch (entry.getKey()) {
            case "value" -> {
                TensorData t = ((Attribute.Tensor) value).value();
                if (!FloatEngine.supportsType(t.type())) {
                    throw c.unsupported("a constant of type " + t.type() + " is not supported");
                }
                yield FloatTensor.fromTensorData(t);
            }
            case "value_float" -> FloatTensor.scalar(((Attribute.Float) value).value());
            case "value_floats" -> {
                float[] v = ((Attribute.Floats) value).values();
                yield FloatTensor.wrap(new int[] {v.length}, v);
            }
            case "value_int" -> FloatTensor.wrapLongs(DataType.INT64, new int[0],
                    new long[] {((Attribute.Int) value).value()});
            case "value_ints" -> {
                long[] v = ((Attribute.Ints) value).values();
                yield FloatTensor.wrapLongs(DataType.INT64, new int[] {v.length}, v);
            }
            default -> throw c.unsupported("Constant attribute '" + entry.getKey() + "' is not supported");
        };
        return OpContext.one(result);
    }

    /** Shape, with the start/end attributes of opset 15 (clamped to [0, rank]). */
    private static FloatTensor[] shape(OpContext c) {
        FloatTensor x = c.input(0);
        int rank = x.rank();
        long start = c.intAttr("start", 0);
        long end = c.intAttr("end", rank);
        start = Math.min(Math.max(start < 0 ? start + rank : start, 0), rank);
        end = Math.min(Math.max(end < 0 ? end + rank : end, 0), rank);
        int n = (int) Math.max(0, end - start);
        long[] dims = new long[n];
        for (int i = 0; i < n; i++) {
            dims[i] = x.dim((int) start + i);
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, new int[] {n}, dims));
    }

    private static FloatTensor[] flatten(OpContext c) {
        FloatTensor x = c.input(0);
        long axisAttr = c.intAttr("axis", 1);
        if (axisAttr < -x.rank() || axisAttr > x.rank()) {
            throw new IllegalArgumentException("axis " + axisAttr + " is out of range for rank " + x.rank());
        }
        int axis = (int) (axisAttr < 0 ? axisAttr + x.rank() : axisAttr);
        int[] shape = {Shapes.product(x.dims(), 0, axis), Shapes.product(x.dims(), axis, x.rank())};
        return OpContext.one(reshaped(x, shape));
    }

    /**
     * Reshape: a 0 copies the input's dimension at that position (unless allowzero=1, opset 14), a -1 is inferred
     * from the element count. Before opset 5 the target shape is an attribute.
     */
    private static FloatTensor[] reshape(OpContext c) {
        FloatTensor x = c.input(0);
        long[] target = c.opset < 5 ? c.intsAttr("shape", new long[0]) : c.int64Input(1);
        boolean allowZero = c.intAttr("allowzero", 0) != 0;
        int[] shape = new int[target.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long d = target[i];
            if (d == 0 && !allowZero) {
                if (i >= x.rank()) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(target) + " copies dimension " + i
                            + " of an input of rank " + x.rank());
                }
                d = x.dim(i);
            }
            if (d == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(target) + " has more than one -1");
                }
                inferred = i;
                continue;
            }
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid dimension " + d + " in shape " + Arrays.toString(target));
            }
            shape[i] = (int) d;
            known *= d;
        }
        if (inferred >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("cannot infer the -1 of shape " + Arrays.toString(target)
                        + " for " + x.size() + " elements (input " + Shapes.str(x.dims()) + ")");
            }
            shape[inferred] = (int) (x.size() / known);
        }
        return OpContext.one(reshaped(x, shape));
    }

    private static FloatTensor[] transpose(OpContext c) {
        FloatTensor x = c.input(0);
        long[] permAttr = c.intsAttr("perm", null);
        int[] perm = new int[x.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = permAttr == null ? perm.length - 1 - i : Math.toIntExact(permAttr[i < permAttr.length ? i : 0]);
        }
        if (permAttr != null && permAttr.length != x.rank()) {
            throw new IllegalArgumentException("perm " + Arrays.toString(permAttr) + " does not fit rank " + x.rank());
        }
        return OpContext.one(transposed(x, perm));
    }

    private static FloatTensor[] concat(OpContext c) {
        FloatTensor first = c.input(0);
        if (!c.hasAttr("axis") && c.opset >= 4) {
            throw new IllegalArgumentException("attribute axis is required");
        }
        int rank = first.rank();
        int axis = Shapes.axis(c.intAttr("axis", 1), rank, "axis"); // optional (default 1) before opset 4
        int[] shape = first.shape();
        shape[axis] = 0;
        for (int k = 0; k < c.inputCount(); k++) {
            FloatTensor t = c.input(k);
            boolean fits = t.rank() == rank && t.type() == first.type();
            for (int i = 0; fits && i < rank; i++) {
                fits = i == axis || t.dim(i) == first.dim(i);
            }
            if (!fits) {
                throw new IllegalArgumentException("input #" + k + " (" + t.type() + " " + Shapes.str(t.dims())
                        + ") does not fit input #0 (" + first.type() + " " + Shapes.str(first.dims())
                        + ") for concatenation along axis " + axis);
            }
            shape[axis] += t.dim(axis);
        }
        int outer = Shapes.product(shape, 0, axis);
        int inner = Shapes.product(shape, axis + 1, rank);
        int total = Shapes.size(shape);
        float[] floats = first.isFloat() ? new float[total] : null;
        long[] longs = first.isFloat() ? null : new long[total];
        int offset = 0; // along the axis
        for (int k = 0; k < c.inputCount(); k++) {
            FloatTensor t = c.input(k);
            int chunk = t.dim(axis) * inner;
            for (int o = 0; o < outer; o++) {
                int to = o * shape[axis] * inner + offset * inner;
                if (floats != null) {
                    System.arraycopy(t.floats, o * chunk, floats, to, chunk);
                } else {
                    System.arraycopy(t.longs, o * chunk, longs, to, chunk);
                }
            }
            offset += t.dim(axis);
        }
        return OpContext.one(floats != null ? FloatTensor.wrap(shape, floats)
                : FloatTensor.wrapLongs(first.type(), shape, longs));
    }

    /** Axes from the attribute (before opset 13) or the optional input #1 (from opset 13). */
    private static long[] axes(OpContext c) {
        if (c.opset >= 13) {
            return c.hasInput(1) ? c.int64Input(1) : null;
        }
        return c.intsAttr("axes", null);
    }

    private static FloatTensor[] squeeze(OpContext c) {
        FloatTensor x = c.input(0);
        long[] axes = axes(c);
        boolean[] drop = new boolean[x.rank()];
        if (axes == null) {
            for (int i = 0; i < x.rank(); i++) {
                drop[i] = x.dim(i) == 1;
            }
        } else {
            for (long a : axes) {
                int axis = Shapes.axis(a, x.rank(), "axis");
                if (x.dim(axis) != 1) {
                    throw new IllegalArgumentException("cannot squeeze axis " + a + " of shape "
                            + Shapes.str(x.dims()) + ": its size is not 1");
                }
                drop[axis] = true;
            }
        }
        int[] shape = new int[x.rank()];
        int rank = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (!drop[i]) {
                shape[rank++] = x.dim(i);
            }
        }
        return OpContext.one(reshaped(x, Arrays.copyOf(shape, rank)));
    }

    /** Unsqueeze: axes refer to the output's positions (negative ones count from the output's end). */
    private static FloatTensor[] unsqueeze(OpContext c) {
        FloatTensor x = c.input(0);
        long[] axes = axes(c);
        if (axes == null) {
            throw new IllegalArgumentException("axes are required");
        }
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int axis = Shapes.axis(a, rank, "axis");
            if (inserted[axis]) {
                throw new IllegalArgumentException("axis " + a + " appears twice in " + Arrays.toString(axes));
            }
            inserted[axis] = true;
        }
        int[] shape = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) {
            shape[i] = inserted[i] ? 1 : x.dim(k++);
        }
        return OpContext.one(reshaped(x, shape));
    }

    /** Gather along {@code axis}: output shape = data[:axis] + indices + data[axis+1:]; negative indices wrap once. */
    private static FloatTensor[] gather(OpContext c) {
        FloatTensor data = c.input(0);
        long[] indices = c.int64Input(1);
        int[] indicesShape = c.input(1).dims();
        int axis = Shapes.axis(c.intAttr("axis", 0), data.rank(), "axis");
        int outer = Shapes.product(data.dims(), 0, axis);
        int length = data.dim(axis);
        int inner = Shapes.product(data.dims(), axis + 1, data.rank());
        int[] shape = new int[data.rank() - 1 + indicesShape.length];
        System.arraycopy(data.dims(), 0, shape, 0, axis);
        System.arraycopy(indicesShape, 0, shape, axis, indicesShape.length);
        System.arraycopy(data.dims(), axis + 1, shape, axis + indicesShape.length, data.rank() - axis - 1);
        int[] index = new int[Shapes.size(shape)];
        int i = 0;
        for (int o = 0; o < outer; o++) {
            for (long raw : indices) {
                int k = (int) checkIndex(raw, length);
                for (int j = 0; j < inner; j++) {
                    index[i++] = (o * length + k) * inner + j;
                }
            }
        }
        return OpContext.one(select(data, shape, index));
    }

    private static long checkIndex(long index, int length) {
        if (index < -length || index >= length) {
            throw new IllegalArgumentException("index " + index + " is out of range for an axis of size " + length);
        }
        return index < 0 ? index + length : index;
    }

    /** GatherElements: out[i..] = data[i.. with the axis coordinate replaced by indices[i..]]. */
    private static FloatTensor[] gatherElements(OpContext c) {
        FloatTensor data = c.input(0);
        long[] indices = c.int64Input(1);
        int[] shape = c.input(1).dims();
        if (shape.length != data.rank()) {
            throw new IllegalArgumentException("indices must have the rank of data (" + data.rank() + "), got "
                    + Shapes.str(shape));
        }
        int axis = Shapes.axis(c.intAttr("axis", 0), data.rank(), "axis");
        int[] strides = Shapes.strides(data.dims());
        int[] index = new int[indices.length];
        forEachIndex(shape, (position, flat) -> {
            int source = 0;
            for (int i = 0; i < position.length; i++) {
                int coordinate = i == axis ? (int) checkIndex(indices[flat], data.dim(axis)) : position[i];
                if (coordinate >= data.dim(i)) {
                    throw new IllegalArgumentException("indices shape " + Shapes.str(shape)
                            + " exceeds data shape " + Shapes.str(data.dims()) + " off the axis");
                }
                source += coordinate * strides[i];
            }
            index[flat] = source;
        });
        return OpContext.one(select(data, shape, index));
    }

    /**
     * Slice: starts/ends/axes/steps are inputs from opset 10 (attributes before, step 1). Negative starts and ends
     * count from the end; both are clamped to the axis ([0, dim] for positive steps, [-1, dim - 1] for negative).
     */
    private static FloatTensor[] slice(OpContext c) {
        FloatTensor x = c.input(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (c.opset < 10) {
            starts = c.intsAttr("starts", null);
            ends = c.intsAttr("ends", null);
            axes = c.intsAttr("axes", null);
            steps = null;
            if (starts == null || ends == null) {
                throw new IllegalArgumentException("attributes starts and ends are required");
            }
        } else {
            starts = c.int64Input(1);
            ends = c.int64Input(2);
            axes = c.hasInput(3) ? c.int64Input(3) : null;
            steps = c.hasInput(4) ? c.int64Input(4) : null;
        }
        int rank = x.rank();
        if (ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw new IllegalArgumentException("starts, ends, axes and steps must have the same length");
        }
        long[] first = new long[rank];
        long[] step = new long[rank];
        int[] shape = x.shape();
        Arrays.fill(step, 1);
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < starts.length; k++) {
            int axis = Shapes.axis(axes == null ? k : axes[k], rank, "axis");
            if (seen[axis]) {
                throw new IllegalArgumentException("axis " + axis + " is sliced twice");
            }
            seen[axis] = true;
            long s = steps == null ? 1 : steps[k];
            if (s == 0) {
                throw new IllegalArgumentException("steps cannot be 0");
            }
            long dim = x.dim(axis);
            long start = starts[k] < 0 ? starts[k] + dim : starts[k];
            long end = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (s > 0) {
                start = Math.min(Math.max(start, 0), dim);
                end = Math.min(Math.max(end, 0), dim);
            } else {
                start = Math.min(Math.max(start, -1), dim - 1);
                end = Math.min(Math.max(end, -1), dim - 1);
            }
            long count = s > 0 ? (end - start + s - 1) / s : (start - end - s - 1) / -s;
            shape[axis] = (int) Math.max(0, count);
            first[axis] = start;
            step[axis] = s;
        }
        int[] strides = Shapes.strides(x.dims());
        int[] index = new int[Shapes.size(shape)];
        forEachIndex(shape, (position, flat) -> {
            long source = 0;
            for (int i = 0; i < rank; i++) {
                source += (first[i] + position[i] * step[i]) * strides[i];
            }
            index[flat] = (int) source;
        });
        return OpContext.one(select(x, shape, index));
    }

    /** Split into the node's outputs along {@code axis}: sizes from 'split' (attribute or input), or equal parts. */
    private static FloatTensor[] split(OpContext c) {
        FloatTensor x = c.input(0);
        int axis = Shapes.axis(c.intAttr("axis", 0), x.rank(), "axis");
        int parts = c.node.outputs().size();
        long[] sizes = c.opset >= 13 ? (c.hasInput(1) ? c.int64Input(1) : null) : c.intsAttr("split", null);
        int dim = x.dim(axis);
        if (sizes == null) {
            int chunk = Math.ceilDiv(dim, parts);
            sizes = new long[parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.max(0, Math.min(chunk, dim - (long) chunk * i));
            }
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != dim) {
            throw new IllegalArgumentException("split " + Arrays.toString(sizes) + " does not divide an axis of size "
                    + dim + " into " + parts + " outputs");
        }
        FloatTensor[] outputs = new FloatTensor[parts];
        long offset = 0;
        for (int i = 0; i < parts; i++) {
            int[] shape = x.shape();
            shape[axis] = (int) sizes[i];
            int[] strides = Shapes.strides(x.dims());
            long from = offset;
            int[] index = new int[Shapes.size(shape)];
            forEachIndex(shape, (position, flat) -> {
                long source = 0;
                for (int k = 0; k < position.length; k++) {
                    source += (k == axis ? position[k] + from : position[k]) * (long) strides[k];
                }
                index[flat] = (int) source;
            });
            outputs[i] = select(x, shape, index);
            offset += sizes[i];
        }
        return outputs;
    }

    /**
     * Pad, modes constant, reflect and edge. Pads are [begin_0, begin_1, ..., end_0, end_1, ...] (an attribute
     * before opset 11, input #1 after; optional axes input #3 from opset 18); negative pads crop.
     */
    private static FloatTensor[] pad(OpContext c) {
        FloatTensor x = c.input(0);
        int rank = x.rank();
        long[] given;
        double value;
        if (c.opset < 11) {
            given = c.intsAttr(c.opset < 2 ? "paddings" : "pads", null);
            if (given == null) {
                throw new IllegalArgumentException("attribute pads is required");
            }
            value = c.floatAttr("value", 0f);
        } else {
            given = c.int64Input(1);
            value = c.hasInput(2) ? c.input(2).getDouble(0) : 0;
        }
        long[] pads = new long[2 * rank];
        if (c.hasInput(3)) {
            long[] axes = c.int64Input(3);
            if (given.length != 2 * axes.length) {
                throw new IllegalArgumentException("pads must have 2 values per axis in " + Arrays.toString(axes));
            }
            for (int k = 0; k < axes.length; k++) {
                int axis = Shapes.axis(axes[k], rank, "axis");
                pads[axis] = given[k];
                pads[axis + rank] = given[k + axes.length];
            }
        } else if (given.length == 2 * rank) {
            pads = given;
        } else {
            throw new IllegalArgumentException("pads " + Arrays.toString(given) + " must have " + 2 * rank
                    + " values for an input of rank " + rank);
        }
        String mode = c.stringAttr("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("edge")) {
            throw c.unsupported("mode '" + mode + "' is not supported");
        }
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            long d = x.dim(i) + pads[i] + pads[i + rank];
            if (d < 0) {
                throw new IllegalArgumentException("pads " + Arrays.toString(pads) + " crop axis " + i
                        + " below zero");
            }
            if (!mode.equals("constant") && x.dim(i) == 0 && d > 0) {
                throw new IllegalArgumentException("cannot " + mode + "-pad an empty axis");
            }
            shape[i] = (int) d;
        }
        int[] strides = Shapes.strides(x.dims());
        long[] padsFinal = pads;
        int[] index = new int[Shapes.size(shape)];
        forEachIndex(shape, (position, flat) -> {
            int source = 0;
            for (int i = 0; i < rank && source >= 0; i++) {
                long p = position[i] - padsFinal[i];
                int n = x.dim(i);
                if (p < 0 || p >= n) {
                    if (mode.equals("constant")) {
                        source = -1;
                        break;
                    } else if (mode.equals("edge")) {
                        p = p < 0 ? 0 : n - 1;
                    } else {
                        // reflect without repeating the edge: ..., 2, 1, [0, 1, 2, ..., n-1], n-2, ...
                        long period = 2L * (n - 1);
                        p = period == 0 ? 0 : Math.floorMod(p, period);
                        p = p >= n ? period - p : p;
                    }
                }
                source += (int) p * strides[i];
            }
            index[flat] = source;
        });
        if (x.isFloat()) {
            float[] out = new float[index.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = index[i] < 0 ? (float) value : x.floats[index[i]];
            }
            return OpContext.one(FloatTensor.wrap(shape, out));
        }
        long[] out = new long[index.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = index[i] < 0 ? (long) value : x.longs[index[i]];
        }
        return OpContext.one(FloatTensor.wrapLongs(x.type(), shape, out));
    }

    private static FloatTensor[] tile(OpContext c) {
        FloatTensor x = c.input(0);
        long[] repeats = c.int64Input(1);
        if (repeats.length != x.rank()) {
            throw new IllegalArgumentException("repeats " + Arrays.toString(repeats) + " must have one value per axis"
                    + " of " + Shapes.str(x.dims()));
        }
        int[] shape = new int[x.rank()];
        for (int i = 0; i < shape.length; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("negative repeat " + repeats[i]);
            }
            shape[i] = Math.toIntExact(x.dim(i) * repeats[i]);
        }
        int[] strides = Shapes.strides(x.dims());
        int[] index = new int[Shapes.size(shape)];
        forEachIndex(shape, (position, flat) -> {
            int source = 0;
            for (int i = 0; i < position.length; i++) {
                source += position[i] % x.dim(i) * strides[i];
            }
            index[flat] = source;
        });
        return OpContext.one(select(x, shape, index));
    }

    private static FloatTensor[] expand(OpContext c) {
        FloatTensor x = c.input(0);
        int[] shape = Shapes.broadcast(x.dims(), toInts(c.int64Input(1)));
        return OpContext.one(select(x, shape, Shapes.broadcastIndex(x.dims(), shape)));
    }

    private static FloatTensor[] constantOfShape(OpContext c) {
        int[] shape = Shapes.toIntShape(c.int64Input(0));
        TensorData value = c.tensorAttr("value");
        int n = Shapes.size(shape);
        if (value == null) {
            return OpContext.one(FloatTensor.wrap(shape, new float[n]));
        }
        if (!FloatEngine.supportsType(value.type())) {
            throw c.unsupported("a value of type " + value.type() + " is not supported");
        }
        FloatTensor v = FloatTensor.fromTensorData(value);
        if (v.size() != 1) {
            throw new IllegalArgumentException("value must hold one element, got " + v.size());
        }
        return OpContext.one(select(v, shape, new int[n]));
    }

    /** Range: start + i * delta for i in [0, max(ceil((limit - start) / delta), 0)). */
    private static FloatTensor[] range(OpContext c) {
        FloatTensor start = c.input(0);
        FloatTensor limit = c.input(1);
        FloatTensor delta = c.input(2);
        if (start.type() != limit.type() || start.type() != delta.type() || start.type() == DataType.BOOL) {
            throw new IllegalArgumentException("start, limit and delta must be scalars of one numeric type");
        }
        if (start.isFloat()) {
            float s = ElementwiseOps.scalarFloat(start, "start");
            float d = ElementwiseOps.scalarFloat(delta, "delta");
            float l = ElementwiseOps.scalarFloat(limit, "limit");
            int n = (int) Math.max(Math.ceil(((double) l - s) / d), 0);
            Shapes.size(new int[] {n});
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = s + i * d;
            }
            return OpContext.one(FloatTensor.wrap(new int[] {n}, out));
        }
        long s = ElementwiseOps.scalarLong(start, "start");
        long l = ElementwiseOps.scalarLong(limit, "limit");
        long d = ElementwiseOps.scalarLong(delta, "delta");
        if (d == 0) {
            throw new IllegalArgumentException("delta cannot be 0");
        }
        long count = Math.max(0, d > 0 ? Math.ceilDiv(l - s, d) : Math.ceilDiv(s - l, -d));
        int n = Shapes.size(new int[] {(int) Math.min(count, Integer.MAX_VALUE)});
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = s + i * d;
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, new int[] {n}, out));
    }

    /** Cast between FLOAT, INT64 and BOOL; float to integer truncates toward zero. */
    private static FloatTensor cast(OpContext c, FloatTensor x, int to) {
        DataType target;
        try {
            target = DataType.fromCode(to);
        } catch (IllegalArgumentException e) {
            throw c.unsupported("cast to data type code " + to + " is not supported");
        }
        if (!FloatEngine.supportsType(target)) {
            throw c.unsupported("cast to " + target + " is not supported");
        }
        if (target == x.type()) {
            return x;
        }
        int n = x.size();
        if (target == DataType.FLOAT) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) x.longs[i];
            }
            return FloatTensor.wrap(x.dims(), out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (target == DataType.BOOL) {
                out[i] = x.getDouble(i) != 0 ? 1 : 0;
            } else {
                out[i] = x.isFloat() ? (long) x.floats[i] : x.longs[i];
            }
        }
        return FloatTensor.wrapLongs(target, x.dims(), out);
    }

    private static FloatTensor[] depthToSpace(OpContext c) {
        FloatTensor x = c.input(0);
        int b = Math.toIntExact(c.intAttr("blocksize", 0));
        if (x.rank() != 4 || b < 1 || x.dim(1) % (b * b) != 0) {
            throw new IllegalArgumentException("X must be [N, C, H, W] with C divisible by blocksize^2; got "
                    + Shapes.str(x.dims()) + ", blocksize " + b);
        }
        int n = x.dim(0);
        int ch = x.dim(1) / (b * b);
        int h = x.dim(2);
        int w = x.dim(3);
        boolean crd = c.stringAttr("mode", "DCR").equals("CRD");
        FloatTensor t = crd ? reshaped(x, new int[] {n, ch, b, b, h, w}) : reshaped(x, new int[] {n, b, b, ch, h, w});
        t = transposed(t, crd ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2});
        return OpContext.one(reshaped(t, new int[] {n, ch, h * b, w * b}));
    }

    private static FloatTensor[] spaceToDepth(OpContext c) {
        FloatTensor x = c.input(0);
        int b = Math.toIntExact(c.intAttr("blocksize", 0));
        if (x.rank() != 4 || b < 1 || x.dim(2) % b != 0 || x.dim(3) % b != 0) {
            throw new IllegalArgumentException("X must be [N, C, H, W] with H and W divisible by blocksize; got "
                    + Shapes.str(x.dims()) + ", blocksize " + b);
        }
        int n = x.dim(0);
        int ch = x.dim(1);
        int h = x.dim(2) / b;
        int w = x.dim(3) / b;
        FloatTensor t = transposed(reshaped(x, new int[] {n, ch, h, b, w, b}), new int[] {0, 3, 5, 1, 2, 4});
        return OpContext.one(reshaped(t, new int[] {n, ch * b * b, h, w}));
    }

    /** Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two axes, zeroes the rest. */
    private static FloatTensor[] trilu(OpContext c) {
        FloatTensor x = c.input(0);
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input must have rank >= 2, got " + Shapes.str(x.dims()));
        }
        long k = c.hasInput(1) ? ElementwiseOps.scalarLong(c.input(1), "k") : 0;
        boolean upper = c.intAttr("upper", 1) != 0;
        int rows = x.dim(x.rank() - 2);
        int cols = x.dim(x.rank() - 1);
        float[] floats = x.isFloat() ? new float[x.size()] : null;
        long[] longs = x.isFloat() ? null : new long[x.size()];
        for (int i = 0; i < x.size(); i++) {
            long row = i / cols % rows;
            long col = i % cols;
            boolean keep = upper ? col - row >= k : col - row <= k;
            if (keep) {
                if (floats != null) {
                    floats[i] = x.floats[i];
                } else {
                    longs[i] = x.longs[i];
                }
            }
        }
        return OpContext.one(floats != null ? FloatTensor.wrap(x.dims(), floats)
                : FloatTensor.wrapLongs(x.type(), x.dims(), longs));
    }
}
