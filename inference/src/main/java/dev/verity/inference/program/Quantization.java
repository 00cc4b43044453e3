package dev.verity.inference.program;

/**
 * How a tensor's integers map to reals: {@code real = (q - zeroPoint) * scale}, the scale given in
 * fixed point. The engine uses only the zero points (scale changes are folded into the ops'
 * requantization factors); the scale tells callers how to quantize inputs and read outputs.
 */
public record Quantization(int zeroPoint, Requantization scale) {
    /** Plain integers: zero point 0, scale 1 (accumulators, indices). */
    public static final Quantization NONE = new Quantization(0, Requantization.ONE);

    public Quantization {
        if (scale == null) {
            throw new IllegalArgumentException("scale is required");
        }
    }
}
