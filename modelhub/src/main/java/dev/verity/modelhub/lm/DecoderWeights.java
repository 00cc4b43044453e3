package dev.verity.modelhub.lm;

import java.util.List;

/**
 * The float weights of a {@link DecoderConfig} decoder, row-major, with matrices stored {@code [in][out]} (as GPT-2's
 * {@code Conv1D} stores them, so {@code y = x · W + b}).
 *
 * @param tokenEmbedding    {@code [vocabSize][width]}; also the language-model head ({@code logits = h · Eᵀ})
 * @param positionEmbedding {@code [contextLength][width]}
 * @param blocks            one per layer
 * @param finalNormScale    {@code [width]}
 * @param finalNormBias     {@code [width]}
 */
public record DecoderWeights(DecoderConfig config, float[] tokenEmbedding, float[] positionEmbedding, List<Block> blocks,
                             float[] finalNormScale, float[] finalNormBias) {
    /**
     * One transformer block.
     *
     * @param attentionWeight {@code [width][3 * width]}: query, key and value side by side (GPT-2's {@code c_attn})
     * @param attentionBias   {@code [3 * width]}
     * @param projectionWeight {@code [width][width]} (GPT-2's {@code attn.c_proj})
     * @param mlpWeight       {@code [width][mlpWidth]} (GPT-2's {@code mlp.c_fc})
     * @param mlpProjectionWeight {@code [mlpWidth][width]} (GPT-2's {@code mlp.c_proj})
     */
    public record Block(float[] norm1Scale, float[] norm1Bias, float[] attentionWeight, float[] attentionBias,
                        float[] projectionWeight, float[] projectionBias, float[] norm2Scale, float[] norm2Bias,
                        float[] mlpWeight, float[] mlpBias, float[] mlpProjectionWeight, float[] mlpProjectionBias) {}

    public DecoderWeights {
        blocks = List.copyOf(blocks);
        int d = config.width();
        int f = config.mlpWidth();
        size("tokenEmbedding", tokenEmbedding, (long) config.vocabSize() * d);
        size("positionEmbedding", positionEmbedding, (long) config.contextLength() * d);
        size("finalNormScale", finalNormScale, d);
        size("finalNormBias", finalNormBias, d);
        if (blocks.size() != config.layers()) {
            throw new IllegalArgumentException(blocks.size() + " blocks for " + config.layers() + " layers");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String p = "block " + i + " ";
            size(p + "norm1Scale", b.norm1Scale(), d);
            size(p + "norm1Bias", b.norm1Bias(), d);
            size(p + "attentionWeight", b.attentionWeight(), 3L * d * d);
            size(p + "attentionBias", b.attentionBias(), 3L * d);
            size(p + "projectionWeight", b.projectionWeight(), (long) d * d);
            size(p + "projectionBias", b.projectionBias(), d);
            size(p + "norm2Scale", b.norm2Scale(), d);
            size(p + "norm2Bias", b.norm2Bias(), d);
            size(p + "mlpWeight", b.mlpWeight(), (long) d * f);
            size(p + "mlpBias", b.mlpBias(), f);
            size(p + "mlpProjectionWeight", b.mlpProjectionWeight(), (long) f * d);
            size(p + "mlpProjectionBias", b.mlpProjectionBias(), d);
        }
    }

    private static void size(String name, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " holds " + values.length + " values, not " + expected);
        }
    }
}
