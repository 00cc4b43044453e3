package dev.verity.modelhub.lm.train;

/** A loss measured over {@code predictions} next-token predictions: {@code nats} summed. */
public record Evaluation(double nats, long predictions) {
    public double meanNats() {
        return nats / predictions;
    }

    public double perplexity() {
        return Math.exp(meanNats());
    }

    /** Bits per byte of the text the predicted tokens decode to. */
    public double bitsPerByte(long bytes) {
        return nats / bytes / Math.log(2);
    }

    /** Perplexity per byte: {@code exp(nats / bytes)}. */
    public double perplexityPerByte(long bytes) {
        return Math.exp(nats / bytes);
    }
}
