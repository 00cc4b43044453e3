package dev.verity.bench.lm;

/**
 * Perplexity of a model on known text, teacher-forced: at each position the model has seen the true text so far, and
 * its logits are scored on the true next token. Perplexity is {@code exp} of the mean negative log-probability (in
 * nats) of those tokens. Mutable; add each scored position.
 */
public final class Perplexity {
    private double negativeLogLikelihood;
    private long positions;

    /** Adds one position: {@code logits} in nats over the vocabulary, {@code next} the true next token. */
    public void add(double[] logits, int next) {
        negativeLogLikelihood += negativeLogProbability(logits, next);
        positions++;
    }

    public long positions() {
        return positions;
    }

    /** Mean negative log-probability per token, in nats. */
    public double meanNegativeLogLikelihood() {
        return negativeLogLikelihood / positions;
    }

    public double value() {
        return Math.exp(meanNegativeLogLikelihood());
    }

    /** {@code -log softmax(logits)[token]}, with the maximum taken out first so that {@code exp} cannot overflow. */
    public static double negativeLogProbability(double[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        return Math.log(sum) + max - logits[token];
    }
}
