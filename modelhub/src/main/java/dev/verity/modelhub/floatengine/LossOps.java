package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import java.util.Map;

/**
 * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (opset 13), as the ONNX reference computes them: input
 * [N, C, d...], integer target [N, d...], optional class weights [C], ignore_index, reduction none/sum/mean (mean
 * divides by the summed weights of the targets that are not ignored). Sums are taken in double.
 */
final class LossOps {
    private LossOps() {}

    static void register(Map<String, Op> ops) {
        ops.put("NegativeLogLikelihoodLoss", c -> OpContext.one(nll(c, c.floatInput(0))));
        ops.put("SoftmaxCrossEntropyLoss", LossOps::softmaxCrossEntropy);
    }

    private static FloatTensor[] softmaxCrossEntropy(OpContext c) {
        FloatTensor scores = c.floatInput(0);
        if (scores.rank() < 2) {
            throw new IllegalArgumentException("scores must be [N, C, ...], got " + Shapes.str(scores.dims()));
        }
        // log-softmax along axis 1
        int n = scores.dim(0);
        int classes = scores.dim(1);
        int inner = Shapes.product(scores.dims(), 2, scores.rank());
        float[] logProb = new float[scores.size()];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < inner; j++) {
                int base = b * classes * inner + j;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, scores.floats[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(scores.floats[base + k * inner] - max);
                }
                for (int k = 0; k < classes; k++) {
                    logProb[base + k * inner] = (float) (scores.floats[base + k * inner] - max - Math.log(sum));
                }
            }
        }
        FloatTensor log = FloatTensor.wrap(scores.dims(), logProb);
        return new FloatTensor[] {nll(c, log), c.wantsOutput(1) ? log : null};
    }

    private static FloatTensor nll(OpContext c, FloatTensor input) {
        FloatTensor targetTensor = c.input(1);
        if (targetTensor.type() != DataType.INT64) {
            throw c.unsupported("a " + targetTensor.type() + " target is not supported");
        }
        long[] target = targetTensor.longs;
        FloatTensor weight = c.hasInput(2) ? c.floatInput(2) : null;
        String reduction = c.stringAttr("reduction", "mean");
        boolean hasIgnore = c.hasAttr("ignore_index");
        long ignore = c.intAttr("ignore_index", 0);
        if (input.rank() < 2) {
            throw new IllegalArgumentException("input must be [N, C, ...], got " + Shapes.str(input.dims()));
        }
        int n = input.dim(0);
        int classes = input.dim(1);
        int inner = Shapes.product(input.dims(), 2, input.rank());
        if (target.length != n * inner) {
            throw new IllegalArgumentException("target shape " + Shapes.str(targetTensor.dims())
                    + " does not fit input " + Shapes.str(input.dims()));
        }
        float[] loss = new float[target.length];
        double lossSum = 0;
        double weightSum = 0;
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < inner; j++) {
                int i = b * inner + j;
                long t = target[i];
                if (hasIgnore && t == ignore) {
                    continue;
                }
                if (t < 0 || t >= classes) {
                    throw new IllegalArgumentException("target " + t + " is not a class in [0, " + classes + ")");
                }
                double w = weight == null ? 1 : weight.floats[(int) t];
                double l = -input.floats[(b * classes + (int) t) * inner + j] * w;
                loss[i] = (float) l;
                lossSum += l;
                weightSum += w;
            }
        }
        return switch (reduction) {
            case "none" -> FloatTensor.wrap(targetTensor.dims(), loss);
            case "sum" -> FloatTensor.scalar((float) lossSum);
            case "mean" -> {
                // without weights or ignore_index, numpy's mean over every element
                double divisor = weight == null && !hasIgnore ? target.length : weightSum;
                yield FloatTensor.scalar((float) (lossSum / divisor));
            }
            default -> throw new IllegalArgumentException("unknown reduction '" + reduction + "'");
        };
    }
}
