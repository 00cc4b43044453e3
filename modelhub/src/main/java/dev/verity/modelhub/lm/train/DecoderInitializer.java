package dev.verity.modelhub.lm.train;

import java.util.Random;

/**
 * GPT-2's initialisation: every matrix and both embeddings normal(0, 0.02), the two residual projections
 * ({@code attn.c_proj}, {@code mlp.c_proj}) scaled down by {@code 1/sqrt(2·layers)} so the residual stream's variance
 * does not grow with depth, biases zero, LayerNorm scales one. {@link Random#nextGaussian} is specified by its
 * javadoc, so a seed gives the same weights on every JVM.
 */
public final class DecoderInitializer {
    public static final double STANDARD_DEVIATION = 0.02;

    private DecoderInitializer() {}

    public static float[] initialize(ParameterLayout layout, long seed) {
        Random random = new Random(seed);
        float[] values = new float[layout.size()];
        double residualStd = STANDARD_DEVIATION / Math.sqrt(2.0 * layout.config().layers());
        for (ParameterLayout.Tensor t : layout.tensors()) {
            String name = t.name();
            if (name.endsWith("ln_1.weight") || name.endsWith("ln_2.weight") || name.endsWith("ln_f.weight")) {
                java.util.Arrays.fill(values, t.offset(), t.offset() + t.size(), 1f);
            } else if (t.shape().length == 2) {
                double std = name.endsWith("c_proj.weight") ? residualStd : STANDARD_DEVIATION;
                for (int i = 0; i < t.size(); i++) {
                    values[t.offset() + i] = (float) (random.nextGaussian() * std);
                }
            }
        }
        return values;
    }
}
