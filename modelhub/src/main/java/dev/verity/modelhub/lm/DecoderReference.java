package dev.verity.modelhub.lm;

import java.util.ArrayList;
import java.util.List;

/**
 * The float reference forward pass of a {@link DecoderWeights} decoder, written plainly (double accumulation,
 * {@code StrictMath}) to be the oracle for training, ONNX export and the integer engine. {@link Session} runs it one token
 * at a time with a key/value cache, as generation does; {@link #logits} runs a whole sequence.
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
        return new Session();
    }

    /** Generation state: the keys and values of every position so far, per layer. */
    public final class Session {
        private final List<List<float[]>> keys = new ArrayList<>();
        private final List<List<float[]>> values = new ArrayList<>();
        private int position;

        private Session() {
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
            for (int l = 0; l < c.layers(); l++) {
                DecoderWeights.Block b = w.blocks().get(l);
                float[] x = layerNorm(h, b.norm1Scale(), b.norm1Bias());
                float[] qkv = linear(x, b.attentionWeight(), b.attentionBias(), d, 3 * d);
                float[] q = slice(qkv, 0, d);
                keys.get(l).add(slice(qkv, d, d));
                values.get(l).add(slice(qkv, 2 * d, d));
                float[] attended = attend(q, keys.get(l), values.get(l));
                float[] projected = linear(attended, b.projectionWeight(), b.projectionBias(), d, d);
                add(h, projected);
                float[] y = layerNorm(h, b.norm2Scale(), b.norm2Bias());
                float[] hidden = linear(y, b.mlpWeight(), b.mlpBias(), d, c.mlpWidth());
                for (int i = 0; i < hidden.length; i++) {
                    hidden[i] = gelu(hidden[i]);
                }
                add(h, linear(hidden, b.mlpProjectionWeight(), b.mlpProjectionBias(), c.mlpWidth(), d));
            }
            float[] z = layerNorm(h, w.finalNormScale(), w.finalNormBias());
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

        private float[] attend(float[] q, List<float[]> ks, List<float[]> vs) {
            int hw = c.headWidth();
            float[] out = new float[c.width()];
            double scale = 1 / StrictMath.sqrt(hw);
            int n = ks.size();
            double[] scores = new double[n];
            for (int head = 0; head < c.heads(); head++) {
                int o = head * hw;
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    double s = 0;
                    for (int i = 0; i < hw; i++) {
                        s += (double) q[o + i] * ks.get(t)[o + i];
                    }
                    scores[t] = s * scale;
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
