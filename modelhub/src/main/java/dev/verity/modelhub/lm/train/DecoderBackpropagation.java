package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;

/**
 * The forward and backward pass of the decoder over one sequence, written out by hand, with every activation the
 * backward pass needs kept in buffers allocated once (one instance per worker thread; not thread-safe).
 *
 * <p>The sequence is {@code tokens[offset .. offset + length]}: positions {@code 0 .. length - 1} read
 * {@code tokens[offset + t]} and predict {@code tokens[offset + t + 1]}. The loss is the summed cross-entropy in nats;
 * gradients are added, times a scale (1 / tokens in the batch, for a mean), into a flat gradient array laid out as the
 * {@link ParameterLayout}.
 */
final class DecoderBackpropagation {
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_K = 0.044715f;

    private final ParameterLayout layout;
    private final int d;
    private final int f;
    private final int v;
    private final int heads;
    private final int headWidth;
    private final int context;
    private final int layers;
    private final float attentionScale;

    private final float[][] residual;     // [layers + 1][T·d]: input of each block, then of the final norm
    private final float[][] middle;       // [layers][T·d]: residual after attention
    private final float[][] norm1;        // [layers][T·d]
    private final float[][] norm1Mean;
    private final float[][] norm1Rstd;
    private final float[][] qkv;          // [layers][T·3d]
    private final float[][] probabilities; // [layers][heads·T·T]
    private final float[][] attended;     // [layers][T·d]
    private final float[][] norm2;
    private final float[][] norm2Mean;
    private final float[][] norm2Rstd;
    private final float[][] mlpInput;     // [layers][T·f] before GELU
    private final float[][] mlpOutput;    // [layers][T·f] after GELU
    private final float[] finalNorm;
    private final float[] finalMean;
    private final float[] finalRstd;
    private final float[] logits;         // [T·v], the softmax gradient after crossEntropy
    private int length;

    private final float[] dResidual;
    private final float[] dScratch;
    private final float[] dQkv;
    private final float[] dMlp;
    private final float[] dRow;
    private final float[] lanes = MatrixKernels.lanes();

    DecoderBackpropagation(ParameterLayout layout) {
        DecoderConfig c = layout.config();
        this.layout = layout;
        d = c.width();
        f = c.mlpWidth();
        v = c.vocabSize();
        heads = c.heads();
        headWidth = c.headWidth();
        context = c.contextLength();
        layers = c.layers();
        attentionScale = (float) (1 / Math.sqrt(headWidth));
        int td = context * d;
        residual = new float[layers + 1][td];
        middle = new float[layers][td];
        norm1 = new float[layers][td];
        norm1Mean = new float[layers][context];
        norm1Rstd = new float[layers][context];
        qkv = new float[layers][3 * td];
        probabilities = new float[layers][heads * context * context];
        attended = new float[layers][td];
        norm2 = new float[layers][td];
        norm2Mean = new float[layers][context];
        norm2Rstd = new float[layers][context];
        mlpInput = new float[layers][context * f];
        mlpOutput = new float[layers][context * f];
        finalNorm = new float[td];
        finalMean = new float[context];
        finalRstd = new float[context];
        logits = new float[context * v];
        dResidual = new float[td];
        dScratch = new float[td];
        dQkv = new float[3 * td];
        dMlp = new float[context * f];
        dRow = new float[context];
    }

    /**
     * Forward, loss and (when {@code gradient} is not null) backward for one sequence; returns the summed
     * cross-entropy in nats over its {@code length} predictions.
     */
    double run(WeightSnapshot w, int[] tokens, int offset, int length, float[] gradient, float gradientScale) {
        forward(w, tokens, offset, length);
        double nats = crossEntropy(tokens, offset, gradient != null, gradientScale);
        if (gradient != null) {
            backward(w, tokens, offset, gradient);
        }
        return nats;
    }

    /** Runs the forward pass; the logits of position {@code t} are then {@link #logits(int)}. */
    void forward(WeightSnapshot w, int[] tokens, int offset, int length) {
        if (length < 1 || length > context) {
            throw new IllegalArgumentException("a sequence of " + length + " positions does not fit the context of " + context);
        }
        this.length = length;
        float[] p = w.values;
        float[] h = residual[0];
        int wte = layout.tokenEmbedding();
        int wpe = layout.positionEmbedding();
        for (int t = 0; t < length; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= v) {
                throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + v);
            }
            for (int i = 0; i < d; i++) {
                h[t * d + i] = p[wte + token * d + i] + p[wpe + t * d + i];
            }
        }
        for (int l = 0; l < layers; l++) {
            ParameterLayout.BlockOffsets b = layout.block(l);
            layerNorm(residual[l], p, b.norm1Scale(), b.norm1Bias(), norm1[l], norm1Mean[l], norm1Rstd[l]);
            fillRows(qkv[l], p, b.attentionBias(), 3 * d);
            MatrixKernels.multiplyAccumulate(length, d, 3 * d, norm1[l], 0, d, 1, p, b.attentionWeight(), qkv[l], 0);
            attend(qkv[l], probabilities[l], attended[l]);
            addRows(residual[l], p, b.projectionBias(), middle[l]);
            MatrixKernels.multiplyAccumulate(length, d, d, attended[l], 0, d, 1, p, b.projectionWeight(), middle[l], 0);
            layerNorm(middle[l], p, b.norm2Scale(), b.norm2Bias(), norm2[l], norm2Mean[l], norm2Rstd[l]);
            fillRows(mlpInput[l], p, b.mlpBias(), f);
            MatrixKernels.multiplyAccumulate(length, d, f, norm2[l], 0, d, 1, p, b.mlpWeight(), mlpInput[l], 0);
            float[] in = mlpInput[l];
            float[] out = mlpOutput[l];
            for (int i = 0; i < length * f; i++) {
                float x = in[i];
                out[i] = 0.5f * x * (1 + tanh(GELU_C * (x + GELU_K * x * x * x)));
            }
            addRows(middle[l], p, b.mlpProjectionBias(), residual[l + 1]);
            MatrixKernels.multiplyAccumulate(length, f, d, out, 0, f, 1, p, b.mlpProjectionWeight(), residual[l + 1], 0);
        }
        layerNorm(residual[layers], p, layout.finalNormScale(), layout.finalNormBias(), finalNorm, finalMean, finalRstd);
        java.util.Arrays.fill(logits, 0, length * v, 0f);
        MatrixKernels.multiplyAccumulate(length, d, v, finalNorm, 0, d, 1, w.tokenEmbeddingTransposed, 0, logits, 0);
    }

    /** The logits of position {@code t} after {@link #forward} (a copy). */
    float[] logits(int t) {
        return java.util.Arrays.copyOfRange(logits, t * v, (t + 1) * v);
    }

    /** Summed cross-entropy of the predictions; optionally turns the logits into the loss gradient, times {@code scale}. */
    private double crossEntropy(int[] tokens, int offset, boolean gradient, float scale) {
        double nats = 0;
        for (int t = 0; t < length; t++) {
            int target = tokens[offset + t + 1];
            if (target < 0 || target >= v) {
                throw new IllegalArgumentException("token " + target + " is outside the vocabulary of " + v);
            }
            int row = t * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < v; i++) {
                max = Math.max(max, logits[row + i]);
            }
            double sum = 0;
            for (int i = 0; i < v; i++) {
                sum += Math.exp(logits[row + i] - max);
            }
            double logSum = max + Math.log(sum);
            nats += logSum - logits[row + target];
            if (gradient) {
                for (int i = 0; i < v; i++) {
                    logits[row + i] = (float) (Math.exp(logits[row + i] - logSum) * scale);
                }
                logits[row + target] -= scale;
            }
        }
        return nats;
    }

    private void backward(WeightSnapshot w, int[] tokens, int offset, float[] g) {
        float[] p = w.values;
        int n = length;
        int wte = layout.tokenEmbedding();
        float[] dh = dResidual;
        java.util.Arrays.fill(dScratch, 0, n * d, 0f);
        MatrixKernels.multiplyAccumulate(n, v, d, logits, 0, v, 1, p, wte, dScratch, 0);
        MatrixKernels.multiplyAccumulate(v, n, d, logits, 0, 1, v, finalNorm, 0, g, wte);
        java.util.Arrays.fill(dh, 0, n * d, 0f);
        layerNormBackward(dScratch, residual[layers], finalMean, finalRstd, p, layout.finalNormScale(), g,
                layout.finalNormBias(), dh);
        for (int l = layers - 1; l >= 0; l--) {
            ParameterLayout.BlockOffsets b = layout.block(l);
            // MLP: residual[l + 1] = middle + gelu(norm2 · W1 + b1) · W2 + b2
            MatrixKernels.multiplyAccumulate(f, n, d, mlpOutput[l], 0, 1, f, dh, 0, g, b.mlpProjectionWeight());
            sumRows(dh, d, g, b.mlpProjectionBias());
            java.util.Arrays.fill(dMlp, 0, n * f, 0f);
            MatrixKernels.multiplyAccumulate(n, d, f, dh, 0, d, 1, w.mlpProjectionTransposed[l], 0, dMlp, 0);
            float[] in = mlpInput[l];
            for (int i = 0; i < n * f; i++) {
                dMlp[i] *= geluDerivative(in[i]);
            }
            MatrixKernels.multiplyAccumulate(d, n, f, norm2[l], 0, 1, d, dMlp, 0, g, b.mlpWeight());
            sumRows(dMlp, f, g, b.mlpBias());
            java.util.Arrays.fill(dScratch, 0, n * d, 0f);
            MatrixKernels.multiplyAccumulate(n, f, d, dMlp, 0, f, 1, w.mlpTransposed[l], 0, dScratch, 0);
            layerNormBackward(dScratch, middle[l], norm2Mean[l], norm2Rstd[l], p, b.norm2Scale(), g, b.norm2Bias(), dh);
            // attention: middle = residual[l] + attention(norm1) · Wp + bp
            MatrixKernels.multiplyAccumulate(d, n, d, attended[l], 0, 1, d, dh, 0, g, b.projectionWeight());
            sumRows(dh, d, g, b.projectionBias());
            java.util.Arrays.fill(dScratch, 0, n * d, 0f);
            MatrixKernels.multiplyAccumulate(n, d, d, dh, 0, d, 1, w.projectionTransposed[l], 0, dScratch, 0);
            attendBackward(qkv[l], probabilities[l], dScratch, dQkv);
            MatrixKernels.multiplyAccumulate(d, n, 3 * d, norm1[l], 0, 1, d, dQkv, 0, g, b.attentionWeight());
            sumRows(dQkv, 3 * d, g, b.attentionBias());
            java.util.Arrays.fill(dScratch, 0, n * d, 0f);
            MatrixKernels.multiplyAccumulate(n, 3 * d, d, dQkv, 0, 3 * d, 1, w.attentionTransposed[l], 0, dScratch, 0);
            layerNormBackward(dScratch, residual[l], norm1Mean[l], norm1Rstd[l], p, b.norm1Scale(), g, b.norm1Bias(), dh);
        }
        int wpe = layout.positionEmbedding();
        for (int t = 0; t < n; t++) {
            int token = tokens[offset + t];
            MatrixKernels.axpy(1f, dh, t * d, g, wte + token * d, d);
            MatrixKernels.axpy(1f, dh, t * d, g, wpe + t * d, d);
        }
    }

    /** Causal multi-head attention over {@code qkv} rows; keeps the softmax probabilities for the backward pass. */
    private void attend(float[] qkv, float[] probs, float[] out) {
        int n = length;
        int row = 3 * d;
        java.util.Arrays.fill(out, 0, n * d, 0f);
        for (int head = 0; head < heads; head++) {
            int o = head * headWidth;
            for (int t = 0; t < n; t++) {
                int pr = (head * context + t) * context;
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    float score = MatrixKernels.dot(qkv, t * row + o, qkv, s * row + d + o, headWidth, lanes) * attentionScale;
                    probs[pr + s] = score;
                    max = Math.max(max, score);
                }
                float total = 0;
                for (int s = 0; s <= t; s++) {
                    float e = (float) Math.exp(probs[pr + s] - max);
                    probs[pr + s] = e;
                    total += e;
                }
                float inverse = 1 / total;
                for (int s = 0; s <= t; s++) {
                    probs[pr + s] *= inverse;
                    MatrixKernels.axpy(probs[pr + s], qkv, s * row + 2 * d + o, out, t * d + o, headWidth);
                }
            }
        }
    }

    private void attendBackward(float[] qkv, float[] probs, float[] dOut, float[] dQkv) {
        int n = length;
        int row = 3 * d;
        java.util.Arrays.fill(dQkv, 0, n * row, 0f);
        for (int head = 0; head < heads; head++) {
            int o = head * headWidth;
            for (int t = 0; t < n; t++) {
                int pr = (head * context + t) * context;
                float weighted = 0;
                for (int s = 0; s <= t; s++) {
                    float dp = MatrixKernels.dot(dOut, t * d + o, qkv, s * row + 2 * d + o, headWidth, lanes);
                    dRow[s] = dp;
                    weighted += probs[pr + s] * dp;
                    MatrixKernels.axpy(probs[pr + s], dOut, t * d + o, dQkv, s * row + 2 * d + o, headWidth);
                }
                for (int s = 0; s <= t; s++) {
                    float dScore = probs[pr + s] * (dRow[s] - weighted) * attentionScale;
                    MatrixKernels.axpy(dScore, qkv, s * row + d + o, dQkv, t * row + o, headWidth);
                    MatrixKernels.axpy(dScore, qkv, t * row + o, dQkv, s * row + d + o, headWidth);
                }
            }
        }
    }

    private void layerNorm(float[] x, float[] p, int scale, int bias, float[] out, float[] means, float[] rstds) {
        for (int t = 0; t < length; t++) {
            int r = t * d;
            float mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r + i];
            }
            mean /= d;
            float variance = 0;
            for (int i = 0; i < d; i++) {
                float c = x[r + i] - mean;
                variance += c * c;
            }
            variance /= d;
            float rstd = (float) (1 / Math.sqrt(variance + dev.verity.modelhub.lm.DecoderConfig.LAYER_NORM_EPSILON));
            means[t] = mean;
            rstds[t] = rstd;
            for (int i = 0; i < d; i++) {
                out[r + i] = (x[r + i] - mean) * rstd * p[scale + i] + p[bias + i];
            }
        }
    }

    /** Adds the input gradient of a LayerNorm into {@code dx}; adds its scale and bias gradients into {@code g}. */
    private void layerNormBackward(float[] dy, float[] x, float[] means, float[] rstds, float[] p, int scale, float[] g,
                                   int bias, float[] dx) {
        for (int t = 0; t < length; t++) {
            int r = t * d;
            float mean = means[t];
            float rstd = rstds[t];
            float meanDxhat = 0;
            float meanDxhatXhat = 0;
            for (int i = 0; i < d; i++) {
                float xhat = (x[r + i] - mean) * rstd;
                float dxhat = dy[r + i] * p[scale + i];
                meanDxhat += dxhat;
                meanDxhatXhat += dxhat * xhat;
                g[scale + i] += dy[r + i] * xhat;
                g[bias + i] += dy[r + i];
            }
            meanDxhat /= d;
            meanDxhatXhat /= d;
            for (int i = 0; i < d; i++) {
                float xhat = (x[r + i] - mean) * rstd;
                float dxhat = dy[r + i] * p[scale + i];
                dx[r + i] += rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat);
            }
        }
    }

    private void fillRows(float[] out, float[] p, int bias, int width) {
        for (int t = 0; t < length; t++) {
            System.arraycopy(p, bias, out, t * width, width);
        }
    }

    /** {@code out[t] = x[t] + bias}. */
    private void addRows(float[] x, float[] p, int bias, float[] out) {
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < d; i++) {
                out[t * d + i] = x[t * d + i] + p[bias + i];
            }
        }
    }

    /** {@code g[bias + i] += Σ_t dy[t][i]}. */
    private void sumRows(float[] dy, int width, float[] g, int bias) {
        for (int t = 0; t < length; t++) {
            MatrixKernels.axpy(1f, dy, t * width, g, bias, width);
        }
    }

    private static float tanh(float u) {
        // tanh via exp: the JIT has an intrinsic for exp, not for tanh
        return (float) (1 - 2 / (Math.exp(2.0 * u) + 1));
    }

    private static float geluDerivative(float x) {
        float th = tanh(GELU_C * (x + GELU_K * x * x * x));
        return 0.5f * (1 + th) + 0.5f * x * (1 - th * th) * GELU_C * (1 + 3 * GELU_K * x * x);
    }
}
