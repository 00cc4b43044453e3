package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.Arrays;
import java.util.Random;

/** Continues a prompt with the {@link DecoderReference}: greedy or nucleus (top-p) sampling from a seeded generator. */
public final class TextGenerator {
    /** How the next token is chosen. */
    public sealed interface Strategy {
        /** The most likely token (the lowest id on a tie). */
        record Greedy() implements Strategy {}

        /** A token drawn from the smallest set of most likely tokens whose probability reaches {@code p}. */
        record TopP(double p, double temperature, long seed) implements Strategy {
            public TopP {
                if (!(p > 0 && p <= 1) || !(temperature > 0)) {
                    throw new IllegalArgumentException("top-p needs 0 < p <= 1 and a positive temperature; got p " + p
                            + ", temperature " + temperature);
                }
            }
        }
    }

    private final DecoderWeights weights;

    public TextGenerator(DecoderWeights weights) {
        this.weights = weights;
    }

    /**
     * Up to {@code maxNewTokens} tokens after {@code prompt}, fewer if the context fills or {@code stopToken} is drawn
     * (it is not included; pass -1 for none).
     */
    public int[] continuation(int[] prompt, int maxNewTokens, Strategy strategy, int stopToken) {
        int context = weights.config().contextLength();
        if (prompt.length == 0 || prompt.length > context) {
            throw new IllegalArgumentException("a prompt needs 1 to " + context + " tokens, not " + prompt.length);
        }
        DecoderReference.Session session = new DecoderReference(weights).session();
        float[] logits = null;
        for (int token : prompt) {
            logits = session.next(token);
        }
        Random random = strategy instanceof Strategy.TopP t ? new Random(t.seed()) : null;
        int[] out = new int[maxNewTokens];
        int n = 0;
        while (n < maxNewTokens) {
            int next = switch (strategy) {
                case Strategy.Greedy g -> argmax(logits);
                case Strategy.TopP t -> topP(logits, t.p(), t.temperature(), random);
            };
            if (next == stopToken) {
                break;
            }
            out[n++] = next;
            if (session.position() == context) {
                break;
            }
            logits = session.next(next);
        }
        return Arrays.copyOf(out, n);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    static int topP(float[] logits, double p, double temperature, Random random) {
        int v = logits.length;
        double max = logits[argmax(logits)];
        double[] probabilities = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) {
            probabilities[i] = Math.exp((logits[i] - max) / temperature);
            total += probabilities[i];
        }
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
            probabilities[i] /= total;
        }
        // most likely first; ties by id, so the order is fully determined
        Arrays.sort(order, (a, b) -> probabilities[a] != probabilities[b] ? Double.compare(probabilities[b], probabilities[a])
                : Integer.compare(a, b));
        double kept = 0;
        int size = 0;
        while (size < v && kept < p) {
            kept += probabilities[order[size++]];
        }
        double draw = random.nextDouble() * kept;
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += probabilities[order[i]];
            if (draw < cumulative) {
                return order[i];
            }
        }
        return order[size - 1];
    }
}
