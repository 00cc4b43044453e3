package dev.verity.modelhub.lm.train;

/**
 * The baseline a language model must beat: an add-k smoothed bigram, {@code P(b | a) = (count(a b) + k) /
 * (count(a) + k·V)}, counted over the training tokens. {@code k} is fixed by the caller, not tuned on held-out text.
 */
public final class BigramBaseline {
    private final int vocabSize;
    private final double k;
    private final int[] pairCounts;
    private final int[] contextCounts;

    private BigramBaseline(int vocabSize, double k, int[] pairCounts, int[] contextCounts) {
        this.vocabSize = vocabSize;
        this.k = k;
        this.pairCounts = pairCounts;
        this.contextCounts = contextCounts;
    }

    public static BigramBaseline count(int[] tokens, int vocabSize, double k) {
        if (!(k > 0)) {
            throw new IllegalArgumentException("the smoothing constant k must be positive, not " + k);
        }
        int[] pairs = new int[Math.multiplyExact(vocabSize, vocabSize)];
        int[] contexts = new int[vocabSize];
        for (int i = 0; i + 1 < tokens.length; i++) {
            pairs[tokens[i] * vocabSize + tokens[i + 1]]++;
            contexts[tokens[i]]++;
        }
        return new BigramBaseline(vocabSize, k, pairs, contexts);
    }

    public double k() {
        return k;
    }

    /** {@code -ln P(next | previous)}. */
    public double nats(int previous, int next) {
        return -Math.log((pairCounts[previous * vocabSize + next] + k) / (contextCounts[previous] + k * vocabSize));
    }

    /** The loss over the same predictions {@link DecoderTrainer#evaluate} makes: {@code tokens[1 .. windows·length]}. */
    public Evaluation evaluate(int[] tokens, int length) {
        int predictions = DecoderTrainer.windowStarts(tokens.length, length, Integer.MAX_VALUE).length * length;
        double nats = 0;
        for (int i = 1; i <= predictions; i++) {
            nats += nats(tokens[i - 1], tokens[i]);
        }
        return new Evaluation(nats, predictions);
    }
}
