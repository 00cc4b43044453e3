package dev.verity.modelhub.lm.export;

import dev.verity.modelhub.export.OnnxWriter;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.train.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link DecoderWeights} decoder as an ONNX graph in the layout of Hugging Face decoder exports with a key/value cache
 * (Optimum's {@code decoder_with_past_model.onnx} for GPT-2; one graph serves the first call too, with a past of
 * length 0, so no {@code use_cache_branch} is needed):
 *
 * <ul>
 *   <li>inputs {@code input_ids} int64 [batch_size, sequence_length], {@code attention_mask} int64
 *       [batch_size, past_sequence_length + sequence_length], {@code position_ids} int64 [batch_size, sequence_length],
 *       and per layer {@code past_key_values.<i>.key} / {@code .value} float [batch_size, heads, past_sequence_length,
 *       head_width] (length 0 for the first call);</li>
 *   <li>outputs {@code logits} float [batch_size, sequence_length, vocab] and per layer {@code present.<i>.key} /
 *       {@code .value} [batch_size, heads, past_sequence_length + sequence_length, head_width], to be fed back as
 *       the next call's past.</li>
 * </ul>
 *
 * Position {@code j} of the key/value sequence is visible to new token {@code i} when {@code attention_mask[b][j] = 1}
 * and {@code j <= past_sequence_length + i}: padding and causality combined, as Hugging Face does. Initializers carry
 * Hugging Face GPT-2's names ({@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight}, ...); the
 * language-model head is the token embedding transposed in the graph, so it is stored once. Standard operators only,
 * opset 17 ({@code LayerNormalization}); GELU is spelled out with {@code Tanh} as GPT-2 exports do.
 */
public final class DecoderOnnxExport {
    public static final long OPSET = 17;
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String POSITION_IDS = "position_ids";
    public static final String LOGITS = "logits";
    static final String BATCH = "batch_size";
    static final String SEQUENCE = "sequence_length";
    static final String PAST = "past_sequence_length";
    static final String TOTAL = "past_sequence_length + sequence_length";

    private final List<Node> nodes = new ArrayList<>();
    private final SortedMap<String, TensorData> initializers = new TreeMap<>();
    private int counter;

    private DecoderOnnxExport() {}

    public static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    public static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    public static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    public static String presentValue(int layer) {
        return "present." + layer + ".value";
    }

    /** The ONNX model bytes. */
    public static byte[] toBytes(DecoderWeights weights) {
        return OnnxWriter.toBytes(toGraph(weights));
    }

    public static Graph toGraph(DecoderWeights weights) {
        return new DecoderOnnxExport().build(weights);
    }

    private Graph build(DecoderWeights weights) {
        DecoderConfig c = weights.config();
        ParameterLayout layout = ParameterLayout.of(c);
        float[] flat = layout.flatten(weights);
        for (ParameterLayout.Tensor t : layout.tensors()) {
            long[] dims = new long[t.shape().length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.shape()[i];
            }
            initializers.put(t.name(), TensorData.ofFloats(t.name(), dims, layout.slice(flat, t)));
        }
        int d = c.width();
        int hw = c.headWidth();
        String zero = longs("const.zero", new long[0], 0);
        String one = longs("const.one", new long[0], 1);
        String headShape = longs("const.head_shape", new long[] {4}, 0, 0, c.heads(), hw);
        String mergedShape = longs("const.merged_shape", new long[] {3}, 0, 0, d);
        String qkvSplit = longs("const.qkv_split", new long[] {3}, d, d, d);
        String axis0 = longs("const.axis_0", new long[] {1}, 0);
        String axis1 = longs("const.axis_1", new long[] {1}, 1);
        String axes12 = longs("const.axes_1_2", new long[] {2}, 1, 2);
        String scale = floats("const.attention_scale", (float) (1 / Math.sqrt(hw)));
        String masked = floats("const.masked_score", -Float.MAX_VALUE);
        String half = floats("const.half", 0.5f);
        String oneFloat = floats("const.one_float", 1f);
        String geluCubic = floats("const.gelu_cubic", 0.044715f);
        String geluScale = floats("const.gelu_scale", (float) Math.sqrt(2 / Math.PI));

        // which past and new positions each new token may see: [batch, 1, sequence, past + sequence]
        String sequence = op("Gather", List.of(op("Shape", INPUT_IDS), one), Map.of("axis", new Attribute.Int(0)));
        String total = op("Gather", List.of(op("Shape", ATTENTION_MASK), one), Map.of("axis", new Attribute.Int(0)));
        String past = op("Sub", total, sequence);
        String keyPositions = op("Unsqueeze", op("Range", zero, total, one), axis0);
        String queryPositions = op("Unsqueeze", op("Range", past, total, one), axis1);
        String causal = op("LessOrEqual", keyPositions, queryPositions);
        String padding = op("Unsqueeze", op("Cast", List.of(ATTENTION_MASK), Map.of("to", new Attribute.Int(DataType.BOOL.code()))),
                axes12);
        String visible = op("And", causal, padding);

        String h = op("Add", op("Gather", List.of(ParameterLayout.TOKEN_EMBEDDING, INPUT_IDS), Map.of("axis", new Attribute.Int(0))),
                op("Gather", List.of(ParameterLayout.POSITION_EMBEDDING, POSITION_IDS), Map.of("axis", new Attribute.Int(0))));
        for (int l = 0; l < c.layers(); l++) {
            String p = ParameterLayout.blockPrefix(l);
            String x = layerNorm(h, p + "ln_1.weight", p + "ln_1.bias");
            String qkv = op("Add", op("MatMul", x, p + "attn.c_attn.weight"), p + "attn.c_attn.bias");
            List<String> parts = List.of(name("q"), name("k"), name("v"));
            nodes.add(new Node(name("split"), "Split", List.of(qkv, qkvSplit), parts, new TreeMap<>(Map.of("axis", new Attribute.Int(2)))));
            String q = heads(parts.get(0), headShape);
            nodes.add(new Node(name("concat"), "Concat", List.of(pastKey(l), heads(parts.get(1), headShape)), List.of(presentKey(l)),
                    new TreeMap<>(Map.of("axis", new Attribute.Int(2)))));
            nodes.add(new Node(name("concat"), "Concat", List.of(pastValue(l), heads(parts.get(2), headShape)),
                    List.of(presentValue(l)), new TreeMap<>(Map.of("axis", new Attribute.Int(2)))));
            String keysT = op("Transpose", List.of(presentKey(l)), Map.of("perm", new Attribute.Ints(new long[] {0, 1, 3, 2})));
            String scores = op("Mul", op("MatMul", q, keysT), scale);
            String probabilities = op("Softmax", List.of(op("Where", visible, scores, masked)), Map.of("axis", new Attribute.Int(-1)));
            String context = op("MatMul", probabilities, presentValue(l));
            String merged = op("Reshape", op("Transpose", List.of(context), Map.of("perm", new Attribute.Ints(new long[] {0, 2, 1, 3}))),
                    mergedShape);
            h = op("Add", h, op("Add", op("MatMul", merged, p + "attn.c_proj.weight"), p + "attn.c_proj.bias"));
            String y = layerNorm(h, p + "ln_2.weight", p + "ln_2.bias");
            String fc = op("Add", op("MatMul", y, p + "mlp.c_fc.weight"), p + "mlp.c_fc.bias");
            String cube = op("Mul", op("Mul", fc, fc), fc);
            String tanh = op("Tanh", op("Mul", op("Add", fc, op("Mul", cube, geluCubic)), geluScale));
            String gelu = op("Mul", op("Mul", fc, half), op("Add", tanh, oneFloat));
            h = op("Add", h, op("Add", op("MatMul", gelu, p + "mlp.c_proj.weight"), p + "mlp.c_proj.bias"));
        }
        String z = layerNorm(h, ParameterLayout.FINAL_NORM_SCALE, ParameterLayout.FINAL_NORM_BIAS);
        String head = op("Transpose", List.of(ParameterLayout.TOKEN_EMBEDDING), Map.of("perm", new Attribute.Ints(new long[] {1, 0})));
        nodes.add(new Node("lm_head", "MatMul", List.of(z, head), List.of(LOGITS), new TreeMap<>()));

        List<ValueInfo> inputs = new ArrayList<>();
        inputs.add(new ValueInfo(INPUT_IDS, DataType.INT64, List.of(-1L, -1L), List.of(BATCH, SEQUENCE)));
        inputs.add(new ValueInfo(ATTENTION_MASK, DataType.INT64, List.of(-1L, -1L), List.of(BATCH, TOTAL)));
        inputs.add(new ValueInfo(POSITION_IDS, DataType.INT64, List.of(-1L, -1L), List.of(BATCH, SEQUENCE)));
        List<ValueInfo> outputs = new ArrayList<>();
        outputs.add(new ValueInfo(LOGITS, DataType.FLOAT, List.of(-1L, -1L, (long) c.vocabSize()), List.of(BATCH, SEQUENCE, "")));
        for (int l = 0; l < c.layers(); l++) {
            inputs.add(cache(pastKey(l), c, PAST));
            inputs.add(cache(pastValue(l), c, PAST));
            outputs.add(cache(presentKey(l), c, TOTAL));
            outputs.add(cache(presentValue(l), c, TOTAL));
        }
        return new Graph("verity-decoder", OnnxWriter.IR_VERSION, OPSET, inputs, outputs, nodes, initializers);
    }

    private static ValueInfo cache(String name, DecoderConfig c, String length) {
        return new ValueInfo(name, DataType.FLOAT, List.of(-1L, (long) c.heads(), -1L, (long) c.headWidth()),
                List.of(BATCH, "", length, ""));
    }

    /** [batch, sequence, width] to [batch, heads, sequence, head_width]. */
    private String heads(String x, String headShape) {
        return op("Transpose", List.of(op("Reshape", x, headShape)), Map.of("perm", new Attribute.Ints(new long[] {0, 2, 1, 3})));
    }

    private String layerNorm(String x, String scale, String bias) {
        return op("LayerNormalization", List.of(x, scale, bias), Map.of("axis", new Attribute.Int(-1),
                "epsilon", new Attribute.Float(DecoderConfig.LAYER_NORM_EPSILON)));
    }

    private String op(String type, String... inputs) {
        return op(type, List.of(inputs), Map.of());
    }

    private String op(String type, List<String> inputs, Map<String, Attribute> attributes) {
        String output = name(type.toLowerCase(java.util.Locale.ROOT));
        nodes.add(new Node(output, type, inputs, List.of(output), new TreeMap<>(attributes)));
        return output;
    }

    private String name(String base) {
        return "/" + base + "_" + counter++;
    }

    private String longs(String name, long[] dims, long... values) {
        initializers.put(name, TensorData.ofLongs(name, DataType.INT64, dims, values));
        return name;
    }

    private String floats(String name, float value) {
        initializers.put(name, TensorData.ofFloats(name, new long[0], new float[] {value}));
        return name;
    }
}
