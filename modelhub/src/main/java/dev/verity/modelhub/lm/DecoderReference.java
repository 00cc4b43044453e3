package dev.verity.modelhub.lm;

import java.util.ArrayList;
import java.util.List;

/**
 * The float reference forward pass of a {@link DecoderWeights} decoder, written plainly (double accumulation,
 * {@code StrictMath}) to be the oracle for training, ONNX export and the integer engine. {@link Session} runs it one token
 * at a time with a key/value cache, as generation does; {@link #logits} runs a whole sequence. A session may tell an
 * {@link Observer} the values at each point the integer program quantizes (calibration).
 */
public final class DecoderReference {
    private final DecoderWeights w;
    private final DecoderConfig c;

    public DecoderReference(DecoderWeights weights) {
        this.w = weights;
        this.c = weights.config();
    }

    /** Logits {@code [tokens.length][vocabSize]} for every position of {@code tokens}. */
    public float[][] logits(int[] tokens) {
        Session s = session();
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = s.next(tokens[i]);
        }
        return out;
    }

    public Session session() {
        return new Session(NO_OBSERVER);
    }

    /** A session that tells {@code observer} the values of every {@link #POINTS point} of each token's pass. */
    public Session session(Observer observer) {
        return new Session(observer);
    }

    /**
     * The per-layer points of a pass, in order ({@code "layer<l>.<point>"}): {@code ln1, q, k, v, scores} (after the
     * {@code 1/sqrt(headWidth)} scaling, visible keys only, head after head), {@code attention} (the heads' weighted
     * values), {@code projection, residual1, ln2, fc} (before GELU), {@code gelu, mlp, residual2}; and once per pass
     * {@code embedding} (token plus position) and {@code final_ln}.
     */
    public static final List<String> POINTS = List.of("ln1", "q", "k", "v", "scores", "attention", "projection", "residual1",
            "ln2", "fc", "gelu", "mlp", "residual2");

    /** Receives the values of one point for one token. */
    @FunctionalInterface
    public interface Observer {
        void observe(String point, double[] values);
    }

    private static final Observer NO_OBSERVER = (point, values) -> { };

    /** The name of per-layer point {@code name} of layer {@code layer}. */
    public static String point(int layer, String name) {
        return "layer" + layer + "." + name;
    }

    /** Generation state: the keys and values of every position so far, per layer. */
    public final class Session {
        private final List<List<float[]>> keys = new ArrayList<>();
        private final List<List<float[]>> values = new ArrayList<>();
        private final Observer observer;
        private int position;

        private Session(Observer observer) {
            this.observer = observer;
            for (int l = 0; l < c.layers(); l++) {
                keys.add(new ArrayList<>());
                values.add(new ArrayList<>());
            }
        }

        public int position() {
            return position;
        }

        /** Feeds one token at the next position; returns its logits {@code [vocabSize]}. */
        public float[] next(int token) {
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + c.vocabSize());
            }
            if (position >= c.contextLength()) {
                throw new IllegalStateException("the context of " + c.contextLength() + " tokens is full");
            }
            int d = c.width();
            float[] h = new float[d];
            for (int i = 0; i < d; i++) {
                h[i] = w.tokenEmbedding()[token * d + i] + w.positionEmbedding()[position * d + i];
            }
            see("embedding", h);
            for (int l = 0; l < c.layers(); l++) {
                DecoderWeights.Block b = w.blocks().get(l);
                float[] x = layerNorm(h, b.norm1Scale(), b.norm1Bias());
                see(point(l, "ln1"), x);
                float[] qkv = linear(x, b.attentionWeight(), b.attentionBias(), d, 3 * d);
                float[] q = slice(qkv, 0, d);
                float[] k = slice(qkv, d, d);
                float[] v = slice(qkv, 2 * d, d);
                see(point(l, "q"), q);
                see(point(l, "k"), k);
                see(point(l, "v"), v);
                keys.get(l).add(k);
                values.get(l).add(v);
                float[] attended = attend(l, q, keys.get(l), values.get(l));
                see(point(l, "attention"), attended);
                float[] projected = linear(attended, b.projectionWeight(), b.projectionBias(), d, d);
                see(point(l, "projection"), projected);
                add(h, projected);
                see(point(l, "residual1"), h);
                float[] y = layerNorm(h, b.norm2Scale(), b.norm2Bias());
                see(point(l, "ln2"), y);
                float[] hidden = linear(y, b.mlpWeight(), b.mlpBias(), d, c.mlpWidth());
                see(point(l, "fc"), hidden);
                for (int i = 0; i < hidden.length; i++) {
                    hidden[i] = gelu(hidden[i]);
                }
                see(point(l, "gelu"), hidden);
                float[] mlp = linear(hidden, b.mlpProjectionWeight(), b.mlpProjectionBias(), c.mlpWidth(), d);
                see(point(l, "mlp"), mlp);
                add(h, mlp);
                see(point(l, "residual2"), h);
            }
            float[] z = layerNorm(h, w.finalNormScale(), w.finalNormBias());
            see("final_ln", z);
            float[] logits = new float[c.vocabSize()];
            for (int v = 0; v < logits.length; v++) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += (double) z[i] * w.tokenEmbedding()[v * d + i];
                }
                logits[v] = (float) sum;
            }
            position++;
            return logits;
        }

        private void see(String point, float[] v) {
            if (observer == NO_OBSERVER) {
                return;
            }
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            observer.observe(point, d);
        }

        private float[] attend(int layer, float[] q, List<float[]> ks, List<float[]> vs) {
            int hw = c.headWidth();
            float[] out = new float[c.width()];
            double scale = 1 / StrictMath.sqrt(hw);
            int n = ks.size();
            double[] scores = new double[n];
            double[] seen = new double[n * c.heads()];
            for (int head = 0; head < c.heads(); head++) {
                int o = head * hw;
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    double s = 0;
                    for (int i = 0; i < hw; i++) {
                        s += (double) q[o + i] * ks.get(t)[o + i];
                    }
                    scores[t] = s * scale;
                    seen[head * n + t] = scores[t];
                    max = Math.max(max, scores[t]);
                }
                double total = 0;
                for (int t = 0; t < n; t++) {
                    scores[t] = StrictMath.exp(scores[t] - max);
                    total += scores[t];
                }
                for (int i = 0; i < hw; i++) {
                    double sum = 0;
                    for (int t = 0; t < n; t++) {
                        sum += scores[t] / total * vs.get(t)[o + i];
                    }
                    out[o + i] = (float) sum;
                }
            }
            observer.observe(point(layer, "scores"), seen);
            return out;
        }
    }

    /** GELU, tanh approximation (GPT-2's {@code gelu_new}). */
    public static float gelu(float x) {
        double u = StrictMath.sqrt(2 / StrictMath.PI) * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1 + StrictMath.tanh(u)));
    }

    static float[] layerNorm(float[] x, float[] scale, float[] bias) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double inv = 1 / StrictMath.sqrt(var + DecoderConfig.LAYER_NORM_EPSILON);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - mean) * inv * scale[i] + bias[i]);
        }
        return out;
    }

    static float[] linear(float[] x, float[] weight, float[] bias, int in, int out) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias[o];
            for (int i = 0; i < in; i++) {
                sum += (double) x[i] * weight[i * out + o];
            }
            y[o] = (float) sum;
        }
        return y;
    }

    private static float[] slice(float[] x, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(x, from, out, 0, length);
        return out;
    }

    private static void add(float[] into, float[] x) {
        for (int i = 0; i < into.length; i++) {
            into[i] += x[i];
        }
    }
}
