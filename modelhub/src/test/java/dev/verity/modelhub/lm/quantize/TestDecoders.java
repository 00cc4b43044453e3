package dev.verity.modelhub.lm.quantize;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Decoders for the tests: seeded random weights, and a hand-made one that counts. */
public final class TestDecoders {
    private TestDecoders() {}

    /**
     * Random weights from a seeded generator, scaled so that activations have unit size (embeddings N(0, 1), matrices
     * N(0, 1/fan_in), LayerNorm gains near 1): the logits spread over several nats, so their argmax is meaningful.
     */
    public static DecoderWeights random(DecoderConfig c, long seed) {
        return random(c, seed, 1);
    }

    /** As {@link #random(DecoderConfig, long)} with token embeddings N(0, embeddingSd): smaller spreads the logits less. */
    public static DecoderWeights random(DecoderConfig c, long seed, double embeddingSd) {
        Random rnd = new Random(seed);
        int d = c.width();
        int f = c.mlpWidth();
        List<DecoderWeights.Block> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            blocks.add(new DecoderWeights.Block(gains(rnd, d), gaussian(rnd, d, 0.1), gaussian(rnd, 3 * d * d, 1 / Math.sqrt(d)),
                    gaussian(rnd, 3 * d, 0.1), gaussian(rnd, d * d, 1 / Math.sqrt(d)), gaussian(rnd, d, 0.1), gains(rnd, d),
                    gaussian(rnd, d, 0.1), gaussian(rnd, d * f, 1 / Math.sqrt(d)), gaussian(rnd, f, 0.1),
                    gaussian(rnd, f * d, 1 / Math.sqrt(f)), gaussian(rnd, d, 0.1)));
        }
        return new DecoderWeights(c, gaussian(rnd, c.vocabSize() * d, embeddingSd), gaussian(rnd, c.contextLength() * d, 0.3), blocks,
                gains(rnd, d), gaussian(rnd, d, 0.1));
    }

    /** Random token sequences of the given length. */
    public static List<int[]> sequences(DecoderConfig c, int count, int length, long seed) {
        Random rnd = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] s = new int[length];
            for (int k = 0; k < length; k++) {
                s[k] = rnd.nextInt(c.vocabSize());
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A hand-made counter: after token {@code t} it predicts {@code (t + 1) mod vocab}. The width equals the vocabulary,
     * the embedding of {@code t} is {@code 4 e_t}; attention is switched off (zero projection); the MLP sends
     * {@code e_t} to hidden unit {@code t} and that unit to {@code 8 (e_{t+1} - e_t)}, so the residual points at
     * {@code t + 1}, which the tied head reads back.
     */
    public static DecoderWeights counter(int vocab, int context) {
        DecoderConfig c = new DecoderConfig(vocab, context, 1, 2, vocab, vocab);
        int d = vocab;
        float[] embedding = new float[vocab * d];
        for (int t = 0; t < vocab; t++) {
            embedding[t * d + t] = 4;
        }
        Random rnd = new Random(3);
        float[] positions = gaussian(rnd, context * d, 0.05);
        float[] fc = new float[d * d];
        float[] fcBias = new float[d];
        float[] proj = new float[d * d];
        for (int t = 0; t < d; t++) {
            fc[t * d + t] = 2; // LayerNorm maps 4 e_t to about sqrt(d) at t and -1/sqrt(d) elsewhere
            fcBias[t] = -2;
            proj[t * d + (t + 1) % d] = 8;
            proj[t * d + t] = -8;
        }
        DecoderWeights.Block block = new DecoderWeights.Block(ones(d), new float[d], gaussian(rnd, 3 * d * d, 0.1),
                new float[3 * d], new float[d * d], new float[d], ones(d), new float[d], fc, fcBias, proj, new float[d]);
        return new DecoderWeights(c, embedding, positions, List.of(block), ones(d), new float[d]);
    }

    static float[] gaussian(Random rnd, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * sd);
        }
        return v;
    }

    static float[] gains(Random rnd, int n) {
        float[] v = gaussian(rnd, n, 0.1);
        for (int i = 0; i < n; i++) {
            v[i] += 1;
        }
        return v;
    }

    static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }
}
