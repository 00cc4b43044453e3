package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;

/**
 * Test oracle: the summed next-token cross-entropy of a sequence, computed plainly in double precision from flat
 * parameters, so that finite differences of it are accurate to far below the float training gradients' error.
 */
final class DoublePrecisionLoss {
    private DoublePrecisionLoss() {}

    static double of(ParameterLayout layout, double[] p, int[] tokens) {
        DecoderConfig c = layout.config();
        int n = tokens.length - 1;
        int d = c.width();
        int f = c.mlpWidth();
        int hw = c.headWidth();
        double[][] h = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                h[t][i] = p[layout.tokenEmbedding() + tokens[t] * d + i] + p[layout.positionEmbedding() + t * d + i];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            ParameterLayout.BlockOffsets b = layout.block(l);
            double[][] x = norm(h, p, b.norm1Scale(), b.norm1Bias());
            double[][] qkv = linear(x, p, b.attentionWeight(), b.attentionBias(), d, 3 * d);
            double[][] att = new double[n][d];
            for (int head = 0; head < c.heads(); head++) {
                int o = head * hw;
                for (int t = 0; t < n; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        for (int i = 0; i < hw; i++) {
                            s[u] += qkv[t][o + i] * qkv[u][d + o + i];
                        }
                        s[u] /= Math.sqrt(hw);
                        max = Math.max(max, s[u]);
                    }
                    double total = 0;
                    for (int u = 0; u <= t; u++) {
                        s[u] = Math.exp(s[u] - max);
                        total += s[u];
                    }
                    for (int u = 0; u <= t; u++) {
                        for (int i = 0; i < hw; i++) {
                            att[t][o + i] += s[u] / total * qkv[u][2 * d + o + i];
                        }
                    }
                }
            }
            add(h, linear(att, p, b.projectionWeight(), b.projectionBias(), d, d));
            double[][] hidden = linear(norm(h, p, b.norm2Scale(), b.norm2Bias()), p, b.mlpWeight(), b.mlpBias(), d, f);
            for (double[] row : hidden) {
                for (int i = 0; i < f; i++) {
                    double v = row[i];
                    row[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
            add(h, linear(hidden, p, b.mlpProjectionWeight(), b.mlpProjectionBias(), f, d));
        }
        double[][] z = norm(h, p, layout.finalNormScale(), layout.finalNormBias());
        double loss = 0;
        for (int t = 0; t < n; t++) {
            double[] logits = new double[c.vocabSize()];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < logits.length; v++) {
                for (int i = 0; i < d; i++) {
                    logits[v] += z[t][i] * p[layout.tokenEmbedding() + v * d + i];
                }
                max = Math.max(max, logits[v]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            loss += max + Math.log(sum) - logits[tokens[t + 1]];
        }
        return loss;
    }

    private static double[][] norm(double[][] x, double[] p, int scale, int bias) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= d;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= d;
            out[t] = new double[d];
            for (int i = 0; i < d; i++) {
                out[t][i] = (x[t][i] - mean) / Math.sqrt(var + DecoderConfig.LAYER_NORM_EPSILON) * p[scale + i] + p[bias + i];
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, double[] p, int weight, int bias, int in, int out) {
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = p[bias + o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * p[weight + i * out + o];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] into, double[][] x) {
        for (int t = 0; t < into.length; t++) {
            for (int i = 0; i < into[t].length; i++) {
                into[t][i] += x[t][i];
            }
        }
    }
}
