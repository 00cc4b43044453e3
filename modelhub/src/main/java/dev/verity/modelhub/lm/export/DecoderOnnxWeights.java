package dev.verity.modelhub.lm.export;

import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.train.ParameterLayout;
import dev.verity.modelhub.onnx.OnnxParser;

/**
 * The float weights of a decoder that {@link DecoderOnnxExport} wrote (Hugging Face GPT-2 initializer names), read
 * back for the quantizer: the shape from the embeddings, the block count, the MLP's width and the cache input's heads.
 */
public final class DecoderOnnxWeights {
    private DecoderOnnxWeights() {}

    public static DecoderWeights read(byte[] onnx) {
        Graph g = new OnnxParser().parse(onnx);
        long[] wte = initializer(g, ParameterLayout.TOKEN_EMBEDDING).dims();
        long[] wpe = initializer(g, ParameterLayout.POSITION_EMBEDDING).dims();
        int layers = 0;
        while (g.initializers().containsKey(ParameterLayout.blockPrefix(layers) + "ln_1.weight")) {
            layers++;
        }
        long[] fc = initializer(g, ParameterLayout.blockPrefix(0) + "mlp.c_fc.weight").dims();
        ValueInfo cache = g.inputs().stream().filter(i -> i.name().equals(DecoderOnnxExport.pastKey(0))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the model has no input " + DecoderOnnxExport.pastKey(0)));
        DecoderConfig config = new DecoderConfig(Math.toIntExact(wte[0]), Math.toIntExact(wpe[0]), layers,
                Math.toIntExact(cache.dims().get(1)), Math.toIntExact(wte[1]), Math.toIntExact(fc[1]));
        ParameterLayout layout = ParameterLayout.of(config);
        float[] flat = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            float[] values = initializer(g, t.name()).floats();
            if (values.length != t.size()) {
                throw new IllegalArgumentException(t.name() + " holds " + values.length + " values, " + config + " needs "
                        + t.size());
            }
            System.arraycopy(values, 0, flat, t.offset(), t.size());
        }
        return layout.toWeights(flat);
    }

    private static TensorData initializer(Graph g, String name) {
        TensorData t = g.initializers().get(name);
        if (t == null) {
            throw new IllegalArgumentException("the model has no initializer " + name + "; is it a decoder that "
                    + "'verity lm train' exported?");
        }
        return t;
    }
}
