package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;

/**
 * The weights of one optimiser step, read-only while the batch runs: the flat values plus the transposes that the
 * backward pass multiplies by ({@code dx = dy · Wᵀ}), built once per step so that every product is a streaming
 * {@link MatrixKernels#multiplyAccumulate}, and the token embedding transposed for the tied head.
 */
final class WeightSnapshot {
    final ParameterLayout layout;
    final float[] values;
    /** {@code [width][vocabSize]}. */
    final float[] tokenEmbeddingTransposed;
    final float[][] attentionTransposed;
    final float[][] projectionTransposed;
    final float[][] mlpTransposed;
    final float[][] mlpProjectionTransposed;

    WeightSnapshot(ParameterLayout layout, float[] values) {
        DecoderConfig c = layout.config();
        int d = c.width();
        int f = c.mlpWidth();
        this.layout = layout;
        this.values = values;
        tokenEmbeddingTransposed = transposed(values, layout.tokenEmbedding(), c.vocabSize(), d);
        int layers = c.layers();
        attentionTransposed = new float[layers][];
        projectionTransposed = new float[layers][];
        mlpTransposed = new float[layers][];
        mlpProjectionTransposed = new float[layers][];
        for (int l = 0; l < layers; l++) {
            ParameterLayout.BlockOffsets b = layout.block(l);
            attentionTransposed[l] = transposed(values, b.attentionWeight(), d, 3 * d);
            projectionTransposed[l] = transposed(values, b.projectionWeight(), d, d);
            mlpTransposed[l] = transposed(values, b.mlpWeight(), d, f);
            mlpProjectionTransposed[l] = transposed(values, b.mlpProjectionWeight(), f, d);
        }
    }

    private static float[] transposed(float[] values, int offset, int rows, int cols) {
        float[] out = new float[rows * cols];
        MatrixKernels.transpose(values, offset, rows, cols, out);
        return out;
    }
}
