package dev.verity.modelhub.lm.quantize;

import dev.verity.inference.generate.CacheSlot;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.CausalSoftmax;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.Lut;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QAdd;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Reshape;
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.quantize.FixedPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the integer step program of a decoder: one run feeds one token at one position.
 *
 * <h2>The program</h2>
 * Inputs {@code token} and {@code position} (INT32 {@code [1]}), and per layer {@code l} the caches
 * {@code layer<l>.keys} {@code [heads, contextLength, headWidth]} and {@code layer<l>.values}
 * {@code [heads, headWidth, contextLength]} (transposed, so that both attention products read contiguous rows).
 * Outputs {@code logits} (INT32 {@code [1, vocabSize]}, the exact accumulator of the tied head, scale
 * {@code s_finalNorm * s_embedding}) and the caches with this token's row written ({@code .next}). Per layer:
 * LayerNorm; three QLinear (query; key and value straight into their caches' quantization); CacheWrite of the key and
 * value rows at {@code position}; QMatMul {@code Q·Kᵀ} per head (the {@code 1/sqrt(headWidth)} folded into its
 * requantization); CausalSoftmax at {@code position}; QMatMul {@code P·V}; QLinear projection; QAdd residual;
 * LayerNorm; QLinear; GELU by a 256-entry Lut; QLinear; QAdd residual. The token and position embeddings are
 * Gather-ed from int8 tables; the final LayerNorm feeds a QMatMul against the same token-embedding table (tied head).
 *
 * <h2>Quantization</h2>
 * Weights are symmetric int8: the embedding tables per tensor (one row is gathered at a time, so one scale), the
 * linear layers per output channel, with int32 biases at {@code s_x * s_w}. Activations are asymmetric int8 over
 * their calibrated ranges ({@link FixedPoint#asymmetric}); attention probabilities are fixed at scale 1/256, zero
 * point -128. LayerNorm's {@code gamma} is int16-range fixed point at a common scale {@code sG}, chosen so that
 * {@code beta * 2^16 / sG} fits in an int32.
 */
public final class DecoderQuantizer {
    private final DecoderWeights w;
    private final DecoderConfig c;
    private final DecoderCalibration cal;
    private final int sliceElements;
    private final List<TensorSpec> specs = new ArrayList<>();
    private final List<Constant> constants = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    private DecoderQuantizer(DecoderWeights weights, DecoderCalibration calibration, int sliceElements) {
        this.w = weights;
        this.c = weights.config();
        this.cal = calibration;
        this.sliceElements = sliceElements;
    }

    /** The step program of {@code weights}, quantized with {@code calibration}'s ranges, in slices of {@code sliceElements}. */
    public static DecoderStep quantize(DecoderWeights weights, DecoderCalibration calibration, int sliceElements) {
        return new DecoderQuantizer(weights, calibration, sliceElements).build();
    }

    /**
     * The roles of a program this quantizer built ({@code DecoderStep#program()}, for instance read back from its
     * bytes): inputs {@code token} and {@code position}, each other input a cache whose output is its name plus
     * {@code .next}, output {@code logits}, the context length from the position-embedding table.
     */
    public static DecoderStep stepOf(Program program) {
        List<CacheSlot> caches = new ArrayList<>();
        for (String in : program.inputs()) {
            if (!in.equals("token") && !in.equals("position")) {
                caches.add(new CacheSlot(in, in + ".next"));
            }
        }
        return new DecoderStep(program, "token", "position", "logits", caches, program.tensor("position_embedding").dim(0));
    }

    private DecoderStep build() {
        int d = c.width();
        int ctx = c.contextLength();
        int heads = c.heads();
        int hw = c.headWidth();
        declare("token", DType.INT32, new int[] {1}, Quantization.NONE);
        declare("position", DType.INT32, new int[] {1}, Quantization.NONE);
        List<String> inputs = new ArrayList<>(List.of("token", "position"));
        List<String> outputs = new ArrayList<>(List.of("logits"));
        List<CacheSlot> caches = new ArrayList<>();
        Quantization[] keyQ = new Quantization[c.layers()];
        Quantization[] valueQ = new Quantization[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            keyQ[l] = activation(ObservedDecoder.point(l, "k"));
            valueQ[l] = activation(ObservedDecoder.point(l, "v"));
            String keys = "layer" + l + ".keys";
            String values = "layer" + l + ".values";
            declare(keys, DType.INT8, new int[] {heads, ctx, hw}, keyQ[l]);
            declare(values, DType.INT8, new int[] {heads, hw, ctx}, valueQ[l]);
            inputs.add(keys);
            inputs.add(values);
            outputs.add(keys + ".next");
            outputs.add(values + ".next");
            caches.add(new CacheSlot(keys, keys + ".next"));
            caches.add(new CacheSlot(values, values + ".next"));
        }

        Quantization embeddingQ = constantTable("token_embedding", w.tokenEmbedding(), c.vocabSize(), d);
        Quantization positionQ = constantTable("position_embedding", w.positionEmbedding(), ctx, d);
        TensorSpec tok = declare("embedding.token", DType.INT8, new int[] {1, d}, embeddingQ);
        ops.add(new Gather("token_embedding", "token", tok.name()));
        TensorSpec pos = declare("embedding.position", DType.INT8, new int[] {1, d}, positionQ);
        ops.add(new Gather("position_embedding", "position", pos.name()));
        TensorSpec h = add(tok, pos, "embedding");

        for (int l = 0; l < c.layers(); l++) {
            h = block(l, h, keyQ[l], valueQ[l]);
        }
        TensorSpec z = layerNorm(h, w.finalNormScale(), w.finalNormBias(), "final_ln");
        double logitScale = scale(z.quantization()) * scale(embeddingQ);
        declare("logits", DType.INT32, new int[] {1, c.vocabSize()}, new Quantization(0, FixedPoint.of(logitScale)));
        ops.add(new QMatMul(z.name(), "token_embedding", "logits", true, Requantization.ONE));
        Program program = new Program(specs, inputs, outputs, constants, ops, sliceElements);
        return new DecoderStep(program, "token", "position", "logits", caches, ctx);
    }

    private TensorSpec block(int l, TensorSpec h, Quantization keyQ, Quantization valueQ) {
        DecoderWeights.Block b = w.blocks().get(l);
        int d = c.width();
        int heads = c.heads();
        int hw = c.headWidth();
        int ctx = c.contextLength();
        String p = "layer" + l + ".";
        TensorSpec x = layerNorm(h, b.norm1Scale(), b.norm1Bias(), ObservedDecoder.point(l, "ln1"));
        float[] wq = columns(b.attentionWeight(), d, 3 * d, 0, d);
        float[] wk = columns(b.attentionWeight(), d, 3 * d, d, d);
        float[] wv = columns(b.attentionWeight(), d, 3 * d, 2 * d, d);
        float[] bq = java.util.Arrays.copyOfRange(b.attentionBias(), 0, d);
        float[] bk = java.util.Arrays.copyOfRange(b.attentionBias(), d, 2 * d);
        float[] bv = java.util.Arrays.copyOfRange(b.attentionBias(), 2 * d, 3 * d);
        TensorSpec q = linear(x, wq, bq, d, d, p + "q", activation(p + "q"));
        TensorSpec k = linear(x, wk, bk, d, d, p + "k", keyQ);
        TensorSpec v = linear(x, wv, bv, d, d, p + "v", valueQ);

        TensorSpec qHeads = reshape(q, p + "q.heads", new int[] {heads, 1, hw});
        TensorSpec kRow = reshape(k, p + "k.row", new int[] {heads, 1, hw});
        TensorSpec vColumn = reshape(v, p + "v.column", new int[] {heads, hw, 1});
        declare(p + "keys.next", DType.INT8, new int[] {heads, ctx, hw}, keyQ);
        ops.add(new CacheWrite(p + "keys", kRow.name(), "position", p + "keys.next", 1));
        declare(p + "values.next", DType.INT8, new int[] {heads, hw, ctx}, valueQ);
        ops.add(new CacheWrite(p + "values", vColumn.name(), "position", p + "values.next", 2));

        Quantization scoresQ = activation(p + "scores");
        declare(p + "scores", DType.INT8, new int[] {heads, 1, ctx}, scoresQ);
        double scoreFactor = scale(q.quantization()) * scale(keyQ) / Math.sqrt(hw) / scale(scoresQ);
        ops.add(new QMatMul(qHeads.name(), p + "keys.next", p + "scores", true, FixedPoint.of(scoreFactor)));
        Quantization probsQ = FixedPoint.fixed(1.0 / 256, -128);
        declare(p + "probabilities", DType.INT8, new int[] {heads, 1, ctx}, probsQ);
        ops.add(new CausalSoftmax(p + "scores", "position", p + "probabilities", expTable(scale(scoresQ))));
        Quantization attendedQ = activation(p + "attention");
        declare(p + "attention.heads", DType.INT8, new int[] {heads, 1, hw}, attendedQ);
        ops.add(new QMatMul(p + "probabilities", p + "values.next", p + "attention.heads", true,
                FixedPoint.of(scale(probsQ) * scale(valueQ) / scale(attendedQ))));
        TensorSpec attended = declare(p + "attention", DType.INT8, new int[] {1, d}, attendedQ);
        ops.add(new Reshape(p + "attention.heads", attended.name()));

        TensorSpec projected = linear(attended, b.projectionWeight(), b.projectionBias(), d, d, p + "projection",
                activation(p + "projection"));
        TensorSpec r1 = add(h, projected, p + "residual1");
        TensorSpec y = layerNorm(r1, b.norm2Scale(), b.norm2Bias(), p + "ln2");
        TensorSpec fc = linear(y, b.mlpWeight(), b.mlpBias(), d, c.mlpWidth(), p + "fc", activation(p + "fc"));
        TensorSpec gelu = declare(p + "gelu", DType.INT8, new int[] {1, c.mlpWidth()}, activation(p + "gelu"));
        ops.add(new Lut(fc.name(), gelu.name(), geluTable(fc.quantization(), gelu.quantization())));
        TensorSpec mlp = linear(gelu, b.mlpProjectionWeight(), b.mlpProjectionBias(), c.mlpWidth(), d, p + "mlp",
                activation(p + "mlp"));
        return add(r1, mlp, p + "residual2");
    }

    // ------------------------------------------------------------------------------------------ op builders

    private TensorSpec declare(String name, DType type, int[] shape, Quantization q) {
        TensorSpec s = new TensorSpec(name, type, shape, q);
        specs.add(s);
        return s;
    }

    private Quantization activation(String point) {
        ActivationRange r = cal.range(point);
        return FixedPoint.asymmetric(r.min(), r.max());
    }

    private static double scale(Quantization q) {
        return FixedPoint.scale(q);
    }

    /** A symmetric int8 table {@code [rows, width]} as a program constant; returns its quantization. */
    private Quantization constantTable(String name, float[] values, int rows, int width) {
        double amax = 0;
        for (float v : values) {
            amax = Math.max(amax, Math.abs(v));
        }
        Quantization q = new Quantization(0, FixedPoint.of(amax > 0 ? amax / 127 : 1));
        int[] v = new int[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = FixedPoint.quantize(values[i], q, -127, 127);
        }
        declare(name, DType.INT8, new int[] {rows, width}, q);
        constants.add(new Constant(name, Tensor.of(DType.INT8, new int[] {rows, width}, v)));
        return q;
    }

    /** Columns {@code [from, from + count)} of a row-major {@code [rows][cols]} matrix. */
    private static float[] columns(float[] m, int rows, int cols, int from, int count) {
        float[] out = new float[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * cols + from, out, r * count, count);
        }
        return out;
    }

    /** {@code y = x · W + b} with {@code W} stored {@code [in][out]}: weights per output channel, symmetric int8. */
    private TensorSpec linear(TensorSpec x, float[] weight, float[] bias, int in, int out, String name, Quantization qy) {
        double sx = scale(x.quantization());
        double sy = scale(qy);
        byte[] wq = new byte[in * out];
        int[] bq = new int[out];
        List<Requantization> rq = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            double amax = 0;
            for (int i = 0; i < in; i++) {
                amax = Math.max(amax, Math.abs(weight[i * out + o]));
            }
            double sw = amax > 0 ? amax / 127 : 1;
            for (int i = 0; i < in; i++) {
                wq[o * in + i] = (byte) Math.max(-127, Math.min(127, Math.rint(weight[i * out + o] / sw)));
            }
            bq[o] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(bias[o] / (sx * sw))));
            rq.add(FixedPoint.of(sx * sw / sy));
        }
        TensorSpec y = declare(name, DType.INT8, new int[] {1, out}, qy);
        ops.add(new QLinear(x.name(), name, in, out, wq, bq, rq, -128, 127));
        return y;
    }

    private TensorSpec reshape(TensorSpec x, String name, int[] shape) {
        TensorSpec y = declare(name, x.dtype(), shape, x.quantization());
        ops.add(new Reshape(x.name(), name));
        return y;
    }

    /** A residual sum: each operand rescaled to the calibrated output by its multiplier, one common shift. */
    private TensorSpec add(TensorSpec a, TensorSpec b, String point) {
        TensorSpec y = declare(point, DType.INT8, a.shape(), activation(point));
        double ra = scale(a.quantization()) / scale(y.quantization());
        double rb = scale(b.quantization()) / scale(y.quantization());
        double big = Math.max(ra, rb);
        int shift = 0;
        while (shift < 31 && Math.rint(Math.scalb(big, shift + 1)) <= QAdd.MAX_MULTIPLIER) {
            shift++;
        }
        int ma = (int) Math.min(QAdd.MAX_MULTIPLIER, Math.rint(Math.scalb(ra, shift)));
        int mb = (int) Math.min(QAdd.MAX_MULTIPLIER, Math.rint(Math.scalb(rb, shift)));
        ops.add(new QAdd(a.name(), b.name(), point, ma, mb, shift, -128, 127));
        return y;
    }

    private TensorSpec layerNorm(TensorSpec x, float[] gamma, float[] beta, String point) {
        int n = gamma.length;
        double gMax = 0;
        double bMax = 0;
        for (int i = 0; i < n; i++) {
            gMax = Math.max(gMax, Math.abs(gamma[i]));
            bMax = Math.max(bMax, Math.abs(beta[i]));
        }
        double sg = Math.max(gMax / LayerNorm.MAX_GAMMA, bMax * 65536 / Integer.MAX_VALUE);
        if (sg == 0) {
            sg = 1;
        }
        int[] gq = new int[n];
        int[] bq = new int[n];
        for (int i = 0; i < n; i++) {
            gq[i] = (int) Math.max(-LayerNorm.MAX_GAMMA, Math.min(LayerNorm.MAX_GAMMA, Math.rint(gamma[i] / sg)));
            bq[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(beta[i] * 65536 / sg)));
        }
        double sx = scale(x.quantization());
        double eps = (double) n * n * DecoderConfig.LAYER_NORM_EPSILON / (sx * sx);
        int epsilon = (int) Math.min(Integer.MAX_VALUE, Math.rint(eps));
        TensorSpec y = declare(point, DType.INT8, x.shape(), activation(point));
        ops.add(new LayerNorm(x.name(), point, gq, bq, epsilon, FixedPoint.of(sg / 65536 / scale(y.quantization()))));
        return y;
    }

    /** {@code round(2^20 * exp(-s * d))} for the score scale {@code s}. */
    private static int[] expTable(double s) {
        int[] table = new int[256];
        for (int d = 0; d < 256; d++) {
            table[d] = (int) Math.rint(Math.scalb(Math.exp(-s * d), Softmax.EXP_BITS));
        }
        table[0] = 1 << Softmax.EXP_BITS;
        return table;
    }

    /** {@code quantize_Y(gelu(dequantize_X(x)))} for every int8 {@code x}. */
    private static byte[] geluTable(Quantization x, Quantization y) {
        byte[] table = new byte[256];
        double sx = scale(x);
        for (int i = 0; i < 256; i++) {
            double real = (i - 128 - x.zeroPoint()) * sx;
            table[i] = (byte) FixedPoint.quantize(DecoderReference.gelu((float) real), y, -128, 127);
        }
        return table;
    }
}
