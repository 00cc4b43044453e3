package dev.verity.compute.generate;

import dev.verity.inference.program.DType;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;

/**
 * Float logits (from ONNX Runtime) in the fixed point the shared sampler takes: each logit times 2^16, rounded half
 * to even and saturated to int32, with the scale 2^-16. Sixteen fraction bits keep far more precision than sampling
 * needs; logits beyond ±32,767 saturate, which no trained model reaches.
 */
final class FloatLogits {
    static final int FRACTION_BITS = 16;
    /** 2^-16 as {@code multiplier * 2^-(31 + shift)}: 2^30 * 2^-(31 + 15). */
    static final Requantization SCALE = new Requantization(1 << 30, FRACTION_BITS - 1);

    private FloatLogits() {}

    static Tensor toFixed(float[] logits) {
        int[] q = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (Float.isNaN(v)) {
                throw new IllegalStateException("the model produced a NaN logit at token " + i);
            }
            double scaled = Math.rint((double) v * (1 << FRACTION_BITS));
            q[i] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, scaled));
        }
        return Tensor.of(DType.INT32, new int[] {logits.length}, q);
    }
}
