package dev.verity.modelhub.floatengine;

import java.util.Arrays;
import java.util.Map;

/**
 * Resize (opset 11+) and Upsample (opsets 7-9), following the ONNX reference implementation: each output coordinate
 * is mapped to an input coordinate by the coordinate transformation mode; nearest, linear and cubic interpolation
 * take the 1, 2 or 4 nearest input positions along each axis (the input is extended by edge values), and the N-D
 * result is the tensor product of the per-axis weights, summed in double.
 */
final class ResizeOps {
    private ResizeOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("Resize", ResizeOps::resize);
        ops.put("Upsample", ResizeOps::upsample);
    }

    /** The input positions and weights that make one output coordinate along one axis; null: extrapolate. */
    private record Taps(int[] index, double[] weight) {}

    private static FloatTensor[] resize(OpContext c) {
        if (c.opset < 11) {
            throw c.unsupported("Resize before opset 11 is not supported");
        }
        FloatTensor x = c.floatInput(0);
        int rank = x.rank();
        FloatTensor roi = c.optionalInput(1);
        FloatTensor scalesInput = c.optionalInput(2);
        FloatTensor sizesInput = c.optionalInput(3);
        double[] scales = new double[rank];
        int[] outShape = new int[rank];
        if (sizesInput != null && sizesInput.size() > 0) {
            long[] sizes = c.int64Input(3);
            if (sizes.length != rank) {
                throw new IllegalArgumentException("sizes must have " + rank + " values, got " + sizes.length);
            }
            for (int i = 0; i < rank; i++) {
                outShape[i] = Math.toIntExact(sizes[i]);
                scales[i] = (double) sizes[i] / x.dim(i);
            }
        } else if (scalesInput != null && scalesInput.size() == rank) {
            float[] given = c.floatInput(2).data();
            for (int i = 0; i < rank; i++) {
                scales[i] = given[i];
                outShape[i] = (int) Math.floor(given[i] * (double) x.dim(i));
            }
        } else {
            throw new IllegalArgumentException("one of scales (" + rank + " values) and sizes must be given");
        }
        String mode = c.stringAttr("mode", "nearest");
        String transform = c.stringAttr("coordinate_transformation_mode", "half_pixel");
        double[] roiValues = null;
        if (transform.equals("tf_crop_and_resize")) {
            if (roi == null || roi.size() != 2 * rank) {
                throw new IllegalArgumentException("tf_crop_and_resize needs an roi of " + 2 * rank + " values");
            }
            roiValues = new double[2 * rank];
            for (int i = 0; i < roiValues.length; i++) {
                roiValues[i] = roi.getDouble(i);
            }
        }
        Settings s = new Settings(mode, transform, c.stringAttr("nearest_mode", "round_prefer_floor"),
                c.floatAttr("cubic_coeff_a", -0.75f), c.intAttr("exclude_outside", 0) != 0,
                c.floatAttr("extrapolation_value", 0f));
        return OpContext.one(interpolate(c, x, outShape, scales, roiValues, s));
    }

    /** Upsample: asymmetric coordinates, nearest (floor) or linear; scales from the attribute or input #1. */
    private static FloatTensor[] upsample(OpContext c) {
        FloatTensor x = c.floatInput(0);
        double[] scales = new double[x.rank()];
        float[] given = c.hasInput(1) ? c.floatInput(1).data() : c.node.attributes().get("scales")
                instanceof dev.verity.modelhub.graph.Attribute.Floats f ? f.values() : null;
        if (given == null || given.length != x.rank()) {
            throw new IllegalArgumentException("scales must have " + x.rank() + " values");
        }
        int[] outShape = new int[x.rank()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = given[i];
            outShape[i] = (int) Math.floor(given[i] * (double) x.dim(i));
        }
        String mode = c.stringAttr("mode", "nearest");
        Settings s = new Settings(mode.equals("bilinear") ? "linear" : mode, "asymmetric", "floor", -0.75, false, 0);
        return OpContext.one(interpolate(c, x, outShape, scales, null, s));
    }

    private record Settings(String mode, String transform, String nearestMode, double cubicA, boolean excludeOutside,
                            double extrapolation) {}

    private static FloatTensor interpolate(OpContext c, FloatTensor x, int[] outShape, double[] scales, double[] roi,
                                           Settings s) {
        int rank = x.rank();
        if (!s.mode.equals("nearest") && !s.mode.equals("linear") && !s.mode.equals("cubic")) {
            throw c.unsupported("mode '" + s.mode + "' is not supported");
        }
        Taps[][] taps = new Taps[rank][];
        for (int axis = 0; axis < rank; axis++) {
            taps[axis] = new Taps[outShape[axis]];
            for (int o = 0; o < outShape[axis]; o++) {
                taps[axis][o] = taps(c, x.dim(axis), scales[axis], o, axis, roi, s);
            }
        }
        int[] strides = Shapes.strides(x.dims());
        float[] out = new float[Shapes.size(outShape)];
        ShapeOps.forEachIndex(outShape, (position, flat) -> {
            Taps[] t = new Taps[rank];
            for (int axis = 0; axis < rank; axis++) {
                t[axis] = taps[axis][position[axis]];
                if (t[axis] == null) {
                    out[flat] = (float) s.extrapolation;
                    return;
                }
            }
            out[flat] = (float) sum(x, t, strides, 0, 0, 1.0);
        });
        return FloatTensor.wrap(outShape, out);
    }

    /** Sum over all tap combinations of axes [axis, rank) of the weight products times the input values. */
    private static double sum(FloatTensor x, Taps[] taps, int[] strides, int axis, int offset, double weight) {
        if (axis == taps.length) {
            return weight * x.floats[offset];
        }
        double total = 0;
        Taps t = taps[axis];
        for (int k = 0; k < t.index.length; k++) {
            if (t.weight[k] != 0) {
                total += sum(x, taps, strides, axis + 1, offset + t.index[k] * strides[axis], weight * t.weight[k]);
            }
        }
        return total;
    }

    /** The taps for output coordinate {@code o} of an axis of {@code length} input values. */
    private static Taps taps(OpContext c, int length, double scale, int o, int axis, double[] roi, Settings s) {
        double outLength = scale * length;
        double xo = switch (s.transform) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> outLength > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> outLength == 1 ? 0 : o * (length - 1) / (outLength - 1);
            case "asymmetric" -> o / scale;
            case "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
            case "tf_crop_and_resize" -> {
                double start = roi[axis];
                double end = roi[axis + roi.length / 2];
                double v = outLength == 1 ? (end - start) * (length - 1) / 2
                        : o * (end - start) * (length - 1) / (outLength - 1);
                yield v + start * (length - 1);
            }
            default -> throw c.unsupported("coordinate_transformation_mode '" + s.transform + "' is not supported");
        };
        if (s.transform.equals("tf_crop_and_resize") && (xo < 0 || xo > length - 1)) {
            return null;
        }
        double ratio = xo - Math.floor(xo);
        if (ratio == 0) {
            ratio = 1; // the reference prefers the position on the left of an exact coordinate
        }
        double[] coefficients = switch (s.mode) {
            case "nearest" -> nearest(c, ratio, s.nearestMode);
            case "linear" -> new double[] {1 - ratio, ratio};
            default -> cubic(ratio, s.cubicA);
        };
        int n = coefficients.length;
        int[] index = neighbours(xo, n, length);
        if (s.excludeOutside) {
            double total = 0;
            for (int k = 0; k < n; k++) {
                if (index[k] < 0 || index[k] >= length) {
                    coefficients[k] = 0;
                }
                total += coefficients[k];
            }
            for (int k = 0; k < n; k++) {
                coefficients[k] /= total;
            }
        }
        for (int k = 0; k < n; k++) {
            index[k] = Math.min(Math.max(index[k], 0), length - 1); // the input extended by its edge values
        }
        return new Taps(index, coefficients);
    }

    /**
     * The {@code n} positions nearest to {@code x} (ties: the smaller) among those of the input extended by
     * ceil(n / 2) edge values on each side, in increasing order.
     */
    private static int[] neighbours(double x, int n, int length) {
        int pad = (n + 1) / 2;
        int first = -pad;
        int last = length - 1 + pad;
        // The n nearest lie within n of floor(x); near an end, keep a window of 2n + 1 inside the range.
        double base = Math.floor(Math.max(Math.min(x, last + n), first - n));
        int lo = (int) Math.max(first, Math.min(base - n, last - 2 * n));
        int hi = (int) Math.min(last, Math.max(base + n + 1, first + 2 * n));
        Integer[] candidates = new Integer[hi - lo + 1];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = lo + i;
        }
        Arrays.sort(candidates, (a, b) -> {
            int byDistance = Double.compare(Math.abs(x - a), Math.abs(x - b));
            return byDistance != 0 ? byDistance : Integer.compare(a, b);
        });
        int[] result = new int[Math.min(n, candidates.length)];
        for (int i = 0; i < result.length; i++) {
            result[i] = candidates[i];
        }
        Arrays.sort(result);
        return result;
    }

    private static double[] nearest(OpContext c, double ratio, String mode) {
        if (ratio == 1) {
            return new double[] {0, 1};
        }
        return switch (mode) {
            case "round_prefer_floor" -> new double[] {ratio <= 0.5 ? 1 : 0, ratio > 0.5 ? 1 : 0};
            case "round_prefer_ceil" -> new double[] {ratio < 0.5 ? 1 : 0, ratio >= 0.5 ? 1 : 0};
            case "floor" -> new double[] {1, 0};
            case "ceil" -> new double[] {0, 1};
            default -> throw c.unsupported("nearest_mode '" + mode + "' is not supported");
        };
    }

    private static double[] cubic(double r, double a) {
        double s = 1 - r;
        return new double[] {
            ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * s - (a + 3)) * s * s + 1,
            ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a
        };
    }
}
