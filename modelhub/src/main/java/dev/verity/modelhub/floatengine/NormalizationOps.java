package dev.verity.modelhub.floatengine;

import java.util.Map;

/**
 * Normalizations (BatchNormalization in inference mode, InstanceNormalization, LayerNormalization, LRN,
 * MeanVarianceNormalization) and the softmax family. Statistics and sums are computed in double.
 */
final class NormalizationOps {
    private NormalizationOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("BatchNormalization", NormalizationOps::batchNormalization);
        ops.put("InstanceNormalization", NormalizationOps::instanceNormalization);
        ops.put("LayerNormalization", NormalizationOps::layerNormalization);
        ops.put("LRN", NormalizationOps::lrn);
        ops.put("MeanVarianceNormalization", NormalizationOps::meanVarianceNormalization);
        ops.put("Softmax", c -> softmaxFamily(c, Kind.SOFTMAX));
        ops.put("LogSoftmax", c -> softmaxFamily(c, Kind.LOG_SOFTMAX));
        ops.put("Hardmax", c -> softmaxFamily(c, Kind.HARDMAX));
    }

    /**
     * Y = (X - mean) / sqrt(var + epsilon) * scale + B, per channel (axis 1), with the given running statistics. The
     * engine only infers: training_mode=1 is refused, and before opset 7 is_test is ignored (the optional training
     * outputs, if asked for, are refused by the engine as unsupported outputs).
     */
    private static FloatTensor[] batchNormalization(OpContext c) {
        if (c.intAttr("training_mode", 0) != 0) {
            throw c.unsupported("training mode (batch statistics) is not supported; only inference");
        }
        if (c.opset < 9 && c.intAttr("spatial", 1) == 0) {
            throw c.unsupported("spatial=0 (per-activation statistics) is not supported");
        }
        FloatTensor x = c.floatInput(0);
        FloatTensor scale = c.floatInput(1);
        FloatTensor bias = c.floatInput(2);
        FloatTensor mean = c.floatInput(3);
        FloatTensor var = c.floatInput(4);
        double epsilon = c.floatAttr("epsilon", 1e-5f);
        if (x.rank() < 2) {
            throw new IllegalArgumentException("X must be [N, C, ...], got " + Shapes.str(x.dims()));
        }
        int channels = x.dim(1);
        for (FloatTensor p : new FloatTensor[] {scale, bias, mean, var}) {
            if (p.size() != channels) {
                throw new IllegalArgumentException("scale, B, mean and var must have " + channels + " values, got "
                        + "shape " + Shapes.str(p.dims()));
            }
        }
        int spatial = Shapes.product(x.dims(), 2, x.rank());
        float[] out = new float[x.size()];
        for (int n = 0; n < x.dim(0); n++) {
            for (int ch = 0; ch < channels; ch++) {
                double factor = scale.floats[ch] / Math.sqrt(var.floats[ch] + epsilon);
                int base = (n * channels + ch) * spatial;
                for (int i = 0; i < spatial; i++) {
                    out[base + i] = (float) ((x.floats[base + i] - (double) mean.floats[ch]) * factor
                            + bias.floats[ch]);
                }
            }
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    private static FloatTensor[] instanceNormalization(OpContext c) {
        FloatTensor x = c.floatInput(0);
        FloatTensor scale = c.floatInput(1);
        FloatTensor bias = c.floatInput(2);
        double epsilon = c.floatAttr("epsilon", 1e-5f);
        if (x.rank() < 3 || scale.size() != x.dim(1) || bias.size() != x.dim(1)) {
            throw new IllegalArgumentException("X must be [N, C, spatial...] with scale and B of C values; got X "
                    + Shapes.str(x.dims()) + ", scale " + Shapes.str(scale.dims()) + ", B " + Shapes.str(bias.dims()));
        }
        int channels = x.dim(1);
        int spatial = Shapes.product(x.dims(), 2, x.rank());
        float[] out = new float[x.size()];
        for (int plane = 0; plane < x.dim(0) * channels; plane++) {
            int ch = plane % channels;
            int base = plane * spatial;
            double[] stats = meanAndVariance(x.floats, base, spatial);
            double factor = scale.floats[ch] / Math.sqrt(stats[1] + epsilon);
            for (int i = 0; i < spatial; i++) {
                out[base + i] = (float) ((x.floats[base + i] - stats[0]) * factor + bias.floats[ch]);
            }
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    /** Mean and population variance (two passes) of {@code values[base, base + n)}. */
    private static double[] meanAndVariance(float[] values, int base, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[base + i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = values[base + i] - mean;
            squares += d * d;
        }
        return new double[] {mean, squares / n};
    }

    /** LayerNormalization (opset 17): outputs Y and, when asked, Mean and InvStdDev. */
    private static FloatTensor[] layerNormalization(OpContext c) {
        FloatTensor x = c.floatInput(0);
        FloatTensor scale = c.floatInput(1);
        FloatTensor bias = c.hasInput(2) ? c.floatInput(2) : null;
        int axis = Shapes.axis(c.intAttr("axis", -1), x.rank(), "axis");
        double epsilon = c.floatAttr("epsilon", 1e-5f);
        int outer = Shapes.product(x.dims(), 0, axis);
        int inner = Shapes.product(x.dims(), axis, x.rank());
        int[] scaleIndex = Shapes.broadcastIndex(scale.dims(), x.dims());
        int[] biasIndex = bias == null ? null : Shapes.broadcastIndex(bias.dims(), x.dims());
        float[] out = new float[x.size()];
        float[] means = new float[outer];
        float[] invStdDevs = new float[outer];
        for (int o = 0; o < outer; o++) {
            int base = o * inner;
            double[] stats = meanAndVariance(x.floats, base, inner);
            double invStdDev = 1 / Math.sqrt(stats[1] + epsilon);
            means[o] = (float) stats[0];
            invStdDevs[o] = (float) invStdDev;
            for (int i = base; i < base + inner; i++) {
                double y = (x.floats[i] - stats[0]) * invStdDev * scale.floats[scaleIndex[i]];
                out[i] = (float) (bias == null ? y : y + bias.floats[biasIndex[i]]);
            }
        }
        int[] statShape = x.shape();
        for (int i = axis; i < statShape.length; i++) {
            statShape[i] = 1;
        }
        return new FloatTensor[] {
            FloatTensor.wrap(x.dims(), out),
            c.wantsOutput(1) ? FloatTensor.wrap(statShape, means) : null,
            c.wantsOutput(2) ? FloatTensor.wrap(statShape.clone(), invStdDevs) : null
        };
    }

    /** Local response normalization across channels. */
    private static FloatTensor[] lrn(OpContext c) {
        FloatTensor x = c.floatInput(0);
        if (!c.hasAttr("size")) {
            throw new IllegalArgumentException("attribute size is required");
        }
        int size = Math.toIntExact(c.intAttr("size", 1));
        double alpha = c.floatAttr("alpha", 1e-4f);
        double beta = c.floatAttr("beta", 0.75f);
        double bias = c.floatAttr("bias", 1f);
        if (x.rank() < 3) {
            throw new IllegalArgumentException("X must be [N, C, spatial...], got " + Shapes.str(x.dims()));
        }
        int channels = x.dim(1);
        int spatial = Shapes.product(x.dims(), 2, x.rank());
        int before = (size - 1) / 2;
        int after = size - 1 - before; // ceil((size - 1) / 2)
        float[] out = new float[x.size()];
        for (int n = 0; n < x.dim(0); n++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < spatial; i++) {
                    double squares = 0;
                    for (int k = Math.max(0, ch - before); k <= Math.min(channels - 1, ch + after); k++) {
                        double v = x.floats[(n * channels + k) * spatial + i];
                        squares += v * v;
                    }
                    int index = (n * channels + ch) * spatial + i;
                    out[index] = (float) (x.floats[index] / Math.pow(bias + alpha / size * squares, beta));
                }
            }
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    /** (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9) over {@code axes} (default [0, 2, 3]), as ONNX defines it. */
    private static FloatTensor[] meanVarianceNormalization(OpContext c) {
        FloatTensor x = c.floatInput(0);
        long[] axesAttr = c.intsAttr("axes", new long[] {0, 2, 3});
        boolean[] reduced = new boolean[x.rank()];
        for (long a : axesAttr) {
            reduced[Shapes.axis(a, x.rank(), "axis")] = true;
        }
        int[] statShape = x.shape();
        for (int i = 0; i < statShape.length; i++) {
            if (reduced[i]) {
                statShape[i] = 1;
            }
        }
        int[] statIndex = ReduceOps.reductionIndex(x.dims(), statShape);
        int groups = Shapes.size(statShape);
        double[] sum = new double[groups];
        double[] squares = new double[groups];
        int[] count = new int[groups];
        for (int i = 0; i < x.size(); i++) {
            double v = x.floats[i];
            sum[statIndex[i]] += v;
            squares[statIndex[i]] += v * v;
            count[statIndex[i]]++;
        }
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            int g = statIndex[i];
            double mean = sum[g] / count[g];
            double std = Math.sqrt(Math.max(0, squares[g] / count[g] - mean * mean));
            out[i] = (float) ((x.floats[i] - mean) / (std + 1e-9));
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }

    private enum Kind { SOFTMAX, LOG_SOFTMAX, HARDMAX }

    /**
     * Softmax, LogSoftmax and Hardmax. From opset 13 they work along one axis (default -1); before, the input is
     * coerced to 2-D at {@code axis} (default 1) and they work along the flattened trailing axes.
     */
    private static FloatTensor[] softmaxFamily(OpContext c, Kind kind) {
        FloatTensor x = c.floatInput(0);
        boolean singleAxis = c.opset >= 13;
        int rank = x.rank();
        if (rank == 0) {
            throw new IllegalArgumentException("input must have rank >= 1");
        }
        int axis = Shapes.axis(c.intAttr("axis", singleAxis ? -1 : 1), rank, "axis");
        int outer = Shapes.product(x.dims(), 0, axis);
        int length = singleAxis ? x.dim(axis) : Shapes.product(x.dims(), axis, rank);
        int inner = singleAxis ? Shapes.product(x.dims(), axis + 1, rank) : 1;
        float[] out = new float[x.size()];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * length * inner + j;
                float max = Float.NEGATIVE_INFINITY;
                int argmax = 0;
                for (int i = 0; i < length; i++) {
                    float v = x.floats[base + i * inner];
                    if (v > max) {
                        max = v;
                        argmax = i;
                    }
                }
                if (kind == Kind.HARDMAX) {
                    out[base + argmax * inner] = 1;
                    continue;
                }
                double sum = 0;
                for (int i = 0; i < length; i++) {
                    sum += Math.exp((double) x.floats[base + i * inner] - max);
                }
                for (int i = 0; i < length; i++) {
                    double shifted = (double) x.floats[base + i * inner] - max;
                    out[base + i * inner] = (float) (kind == Kind.SOFTMAX ? Math.exp(shifted) / sum
                            : shifted - Math.log(sum));
                }
            }
        }
        return OpContext.one(FloatTensor.wrap(x.dims(), out));
    }
}
