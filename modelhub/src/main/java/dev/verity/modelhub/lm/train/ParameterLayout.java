package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Where each weight tensor of a {@link DecoderConfig} decoder lives in one flat {@code float[]}: training keeps values,
 * gradients and optimiser moments as flat arrays so that summing, clipping and updating are single loops. Tensors are
 * named and ordered as in Hugging Face GPT-2's state dict ({@code transformer.wte.weight}, {@code transformer.h.0.ln_1.weight},
 * ...), the names the checkpoint and the ONNX export use.
 */
public final class ParameterLayout {
    /**
     * One tensor.
     *
     * @param decayed whether AdamW's weight decay applies (matrices and embeddings, not biases or LayerNorm parameters)
     */
    public record Tensor(String name, int[] shape, int offset, int size, boolean decayed) {
        public Tensor {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /** Offsets of one block's tensors. */
    public record BlockOffsets(int norm1Scale, int norm1Bias, int attentionWeight, int attentionBias, int projectionWeight,
                               int projectionBias, int norm2Scale, int norm2Bias, int mlpWeight, int mlpBias,
                               int mlpProjectionWeight, int mlpProjectionBias) {}

    private record BlockTensor(String suffix, Function<DecoderConfig, int[]> shape, boolean decayed,
                               Function<DecoderWeights.Block, float[]> values) {}

    private static final List<BlockTensor> BLOCK_TENSORS = List.of(
            new BlockTensor("ln_1.weight", c -> new int[] {c.width()}, false, DecoderWeights.Block::norm1Scale),
            new BlockTensor("ln_1.bias", c -> new int[] {c.width()}, false, DecoderWeights.Block::norm1Bias),
            new BlockTensor("attn.c_attn.weight", c -> new int[] {c.width(), 3 * c.width()}, true, DecoderWeights.Block::attentionWeight),
            new BlockTensor("attn.c_attn.bias", c -> new int[] {3 * c.width()}, false, DecoderWeights.Block::attentionBias),
            new BlockTensor("attn.c_proj.weight", c -> new int[] {c.width(), c.width()}, true, DecoderWeights.Block::projectionWeight),
            new BlockTensor("attn.c_proj.bias", c -> new int[] {c.width()}, false, DecoderWeights.Block::projectionBias),
            new BlockTensor("ln_2.weight", c -> new int[] {c.width()}, false, DecoderWeights.Block::norm2Scale),
            new BlockTensor("ln_2.bias", c -> new int[] {c.width()}, false, DecoderWeights.Block::norm2Bias),
            new BlockTensor("mlp.c_fc.weight", c -> new int[] {c.width(), c.mlpWidth()}, true, DecoderWeights.Block::mlpWeight),
            new BlockTensor("mlp.c_fc.bias", c -> new int[] {c.mlpWidth()}, false, DecoderWeights.Block::mlpBias),
            new BlockTensor("mlp.c_proj.weight", c -> new int[] {c.mlpWidth(), c.width()}, true, DecoderWeights.Block::mlpProjectionWeight),
            new BlockTensor("mlp.c_proj.bias", c -> new int[] {c.width()}, false, DecoderWeights.Block::mlpProjectionBias));

    public static final String TOKEN_EMBEDDING = "transformer.wte.weight";
    public static final String POSITION_EMBEDDING = "transformer.wpe.weight";
    public static final String FINAL_NORM_SCALE = "transformer.ln_f.weight";
    public static final String FINAL_NORM_BIAS = "transformer.ln_f.bias";

    private final DecoderConfig config;
    private final List<Tensor> tensors;
    private final List<BlockOffsets> blocks;
    private final int size;

    private ParameterLayout(DecoderConfig config) {
        this.config = config;
        List<Tensor> list = new ArrayList<>();
        int offset = add(list, TOKEN_EMBEDDING, new int[] {config.vocabSize(), config.width()}, true, 0);
        offset = add(list, POSITION_EMBEDDING, new int[] {config.contextLength(), config.width()}, true, offset);
        List<BlockOffsets> offsets = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            int[] o = new int[BLOCK_TENSORS.size()];
            for (int t = 0; t < o.length; t++) {
                BlockTensor bt = BLOCK_TENSORS.get(t);
                o[t] = offset;
                offset = add(list, blockPrefix(l) + bt.suffix(), bt.shape().apply(config), bt.decayed(), offset);
            }
            offsets.add(new BlockOffsets(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], o[11]));
        }
        offset = add(list, FINAL_NORM_SCALE, new int[] {config.width()}, false, offset);
        offset = add(list, FINAL_NORM_BIAS, new int[] {config.width()}, false, offset);
        this.tensors = List.copyOf(list);
        this.blocks = List.copyOf(offsets);
        this.size = offset;
    }

    public static ParameterLayout of(DecoderConfig config) {
        return new ParameterLayout(config);
    }

    /** The Hugging Face GPT-2 name prefix of block {@code layer}: {@code transformer.h.<layer>.}. */
    public static String blockPrefix(int layer) {
        return "transformer.h." + layer + ".";
    }

    private static int add(List<Tensor> list, String name, int[] shape, boolean decayed, int offset) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        list.add(new Tensor(name, shape, offset, n, decayed));
        return Math.addExact(offset, n);
    }

    public DecoderConfig config() {
        return config;
    }

    /** Every tensor, in Hugging Face state-dict order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor named '" + name + "' in " + config));
    }

    public BlockOffsets block(int layer) {
        return blocks.get(layer);
    }

    public int tokenEmbedding() {
        return tensors.get(0).offset();
    }

    public int positionEmbedding() {
        return tensors.get(1).offset();
    }

    public int finalNormScale() {
        return tensors.get(tensors.size() - 2).offset();
    }

    public int finalNormBias() {
        return tensors.get(tensors.size() - 1).offset();
    }

    /** Total number of values. */
    public int size() {
        return size;
    }

    /** Copies the flat values into {@link DecoderWeights}. */
    public DecoderWeights toWeights(float[] flat) {
        checkLength(flat);
        List<DecoderWeights.Block> list = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            float[][] parts = new float[BLOCK_TENSORS.size()][];
            for (int t = 0; t < parts.length; t++) {
                parts[t] = slice(flat, tensor(blockPrefix(l) + BLOCK_TENSORS.get(t).suffix()));
            }
            list.add(new DecoderWeights.Block(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7],
                    parts[8], parts[9], parts[10], parts[11]));
        }
        return new DecoderWeights(config, slice(flat, tensors.get(0)), slice(flat, tensors.get(1)), list,
                slice(flat, tensors.get(tensors.size() - 2)), slice(flat, tensors.get(tensors.size() - 1)));
    }

    /** The weights as one flat array in this layout. */
    public float[] flatten(DecoderWeights weights) {
        if (!weights.config().equals(config)) {
            throw new IllegalArgumentException("weights of " + weights.config() + " do not fit the layout of " + config);
        }
        float[] flat = new float[size];
        put(flat, tensors.get(0), weights.tokenEmbedding());
        put(flat, tensors.get(1), weights.positionEmbedding());
        for (int l = 0; l < config.layers(); l++) {
            for (BlockTensor bt : BLOCK_TENSORS) {
                put(flat, tensor(blockPrefix(l) + bt.suffix()), bt.values().apply(weights.blocks().get(l)));
            }
        }
        put(flat, tensors.get(tensors.size() - 2), weights.finalNormScale());
        put(flat, tensors.get(tensors.size() - 1), weights.finalNormBias());
        return flat;
    }

    /** The values of one tensor of {@code flat}. */
    public float[] slice(float[] flat, Tensor tensor) {
        return Arrays.copyOfRange(flat, tensor.offset(), tensor.offset() + tensor.size());
    }

    private static void put(float[] flat, Tensor tensor, float[] values) {
        System.arraycopy(values, 0, flat, tensor.offset(), tensor.size());
    }

    private void checkLength(float[] flat) {
        if (flat.length != size) {
            throw new IllegalArgumentException("flat parameters hold " + flat.length + " values; " + config + " needs " + size);
        }
    }
}
