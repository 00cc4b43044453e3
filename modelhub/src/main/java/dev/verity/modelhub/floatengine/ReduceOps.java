package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import java.util.Map;

/**
 * The Reduce* family and ArgMax/ArgMin. Reductions visit the input in row-major order and accumulate in double
 * (INT64 ReduceSum/Prod/Max/Min in long), rounding to float once.
 */
final class ReduceOps {
    private ReduceOps() {}

    private enum Reduction { SUM, MEAN, MAX, MIN, PROD, L1, L2, LOG_SUM, LOG_SUM_EXP, SUM_SQUARE }

    static void register(Map<String, Op> ops) {
        ops.put("ReduceSum", c -> reduce(c, Reduction.SUM));
        ops.put("ReduceMean", c -> reduce(c, Reduction.MEAN));
        ops.put("ReduceMax", c -> reduce(c, Reduction.MAX));
        ops.put("ReduceMin", c -> reduce(c, Reduction.MIN));
        ops.put("ReduceProd", c -> reduce(c, Reduction.PROD));
        ops.put("ReduceL1", c -> reduce(c, Reduction.L1));
        ops.put("ReduceL2", c -> reduce(c, Reduction.L2));
        ops.put("ReduceLogSum", c -> reduce(c, Reduction.LOG_SUM));
        ops.put("ReduceLogSumExp", c -> reduce(c, Reduction.LOG_SUM_EXP));
        ops.put("ReduceSumSquare", c -> reduce(c, Reduction.SUM_SQUARE));
        ops.put("ArgMax", c -> argExtreme(c, true));
        ops.put("ArgMin", c -> argExtreme(c, false));
    }

    /** For each element of a tensor of shape {@code in}, its group's index in the kept-dims reduced shape. */
    static int[] reductionIndex(int[] in, int[] reducedKeepDims) {
        return Shapes.broadcastIndex(reducedKeepDims, in);
    }

    private static FloatTensor[] reduce(OpContext c, Reduction r) {
        FloatTensor x = c.input(0);
        boolean keepDims = c.intAttr("keepdims", 1) != 0;
        // ReduceSum takes its axes as an input from opset 13, the others from opset 18.
        boolean axesAsInput = c.opset >= 18 || (c.opset >= 13 && c.node.opType().equals("ReduceSum"));
        long[] axes = axesAsInput ? (c.hasInput(1) ? c.int64Input(1) : new long[0]) : c.intsAttr("axes", new long[0]);
        if (axes.length == 0 && axesAsInput && c.intAttr("noop_with_empty_axes", 0) != 0) {
            return OpContext.one(x);
        }
        boolean[] reduced = new boolean[x.rank()];
        for (long a : axes) {
            reduced[Shapes.axis(a, x.rank(), "axis")] = true;
        }
        if (axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        int[] keptShape = x.shape();
        int rank = 0;
        for (int i = 0; i < keptShape.length; i++) {
            if (reduced[i]) {
                keptShape[i] = 1;
            } else {
                rank++;
            }
        }
        int[] outShape = keptShape;
        if (!keepDims) {
            outShape = new int[rank];
            for (int i = 0, j = 0; i < keptShape.length; i++) {
                if (!reduced[i]) {
                    outShape[j++] = keptShape[i];
                }
            }
        }
        int[] group = reductionIndex(x.dims(), keptShape);
        int groups = Shapes.size(keptShape);
        if (x.type() == DataType.INT64) {
            return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, outShape, reduceLongs(c, r, x, group, groups)));
        }
        x = c.floatInput(0);
        double[] acc = new double[groups];
        int[] count = new int[groups];
        double initial = switch (r) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            case PROD -> 1;
            default -> 0;
        };
        java.util.Arrays.fill(acc, initial);
        // LogSumExp subtracts each group's maximum first, for stability.
        double[] shift = new double[groups];
        if (r == Reduction.LOG_SUM_EXP) {
            java.util.Arrays.fill(shift, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < x.size(); i++) {
                shift[group[i]] = Math.max(shift[group[i]], x.floats[i]);
            }
            for (int g = 0; g < groups; g++) {
                if (Double.isInfinite(shift[g])) {
                    shift[g] = 0;
                }
            }
        }
        for (int i = 0; i < x.size(); i++) {
            double v = x.floats[i];
            int g = group[i];
            count[g]++;
            acc[g] = switch (r) {
                case SUM, MEAN, LOG_SUM -> acc[g] + v;
                case MAX -> Double.isNaN(v) || Double.isNaN(acc[g]) ? Double.NaN : Math.max(acc[g], v);
                case MIN -> Double.isNaN(v) || Double.isNaN(acc[g]) ? Double.NaN : Math.min(acc[g], v);
                case PROD -> acc[g] * v;
                case L1 -> acc[g] + Math.abs(v);
                case L2, SUM_SQUARE -> acc[g] + v * v;
                case LOG_SUM_EXP -> acc[g] + Math.exp(v - shift[g]);
            };
        }
        float[] out = new float[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = (float) switch (r) {
                case MEAN -> acc[g] / count[g];
                case L2 -> Math.sqrt(acc[g]);
                case LOG_SUM -> Math.log(acc[g]);
                case LOG_SUM_EXP -> shift[g] + Math.log(acc[g]);
                default -> acc[g];
            };
        }
        return OpContext.one(FloatTensor.wrap(outShape, out));
    }

    private static long[] reduceLongs(OpContext c, Reduction r, FloatTensor x, int[] group, int groups) {
        long initial = switch (r) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            default -> throw c.unsupported(c.node.opType() + " on INT64 is not supported");
        };
        long[] acc = new long[groups];
        java.util.Arrays.fill(acc, initial);
        for (int i = 0; i < x.size(); i++) {
            long v = x.longs[i];
            int g = group[i];
            acc[g] = switch (r) {
                case SUM -> Math.addExact(acc[g], v);
                case PROD -> Math.multiplyExact(acc[g], v);
                case MAX -> Math.max(acc[g], v);
                default -> Math.min(acc[g], v);
            };
        }
        return acc;
    }

    /** ArgMax / ArgMin along {@code axis}: the first extreme, or the last with select_last_index=1. */
    private static FloatTensor[] argExtreme(OpContext c, boolean max) {
        FloatTensor x = c.input(0);
        if (x.type() == DataType.BOOL) {
            throw c.unsupported(c.node.opType() + " on BOOL is not supported");
        }
        int axis = Shapes.axis(c.intAttr("axis", 0), x.rank(), "axis");
        boolean keepDims = c.intAttr("keepdims", 1) != 0;
        boolean last = c.intAttr("select_last_index", 0) != 0;
        int outer = Shapes.product(x.dims(), 0, axis);
        int length = x.dim(axis);
        int inner = Shapes.product(x.dims(), axis + 1, x.rank());
        if (length == 0) {
            throw new IllegalArgumentException("cannot take " + c.node.opType() + " along an empty axis");
        }
        long[] out = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * length * inner + j;
                int best = 0;
                for (int i = 1; i < length; i++) {
                    double v = x.getDouble(base + i * inner);
                    double b = x.getDouble(base + best * inner);
                    boolean better = max ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
                    if (better) {
                        best = i;
                    }
                }
                out[o * inner + j] = best;
            }
        }
        int[] shape;
        if (keepDims) {
            shape = x.shape();
            shape[axis] = 1;
        } else {
            shape = new int[x.rank() - 1];
            for (int i = 0, k = 0; i < x.rank(); i++) {
                if (i != axis) {
                    shape[k++] = x.dim(i);
                }
            }
        }
        return OpContext.one(FloatTensor.wrapLongs(DataType.INT64, shape, out));
    }
}
