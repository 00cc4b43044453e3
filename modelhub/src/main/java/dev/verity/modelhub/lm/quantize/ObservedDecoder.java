package dev.verity.modelhub.lm.quantize;

import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.List;

/**
 * {@link DecoderReference}'s forward pass telling an observer the values at each point the integer program quantizes
 * ({@link DecoderReference#POINTS}); its logits are the reference's.
 */
final class ObservedDecoder {
    /** The per-layer points, in forward order. */
    static final List<String> POINTS = DecoderReference.POINTS;

    /** Receives the values of one point for one token. */
    interface Observer extends DecoderReference.Observer {}

    private final DecoderReference.Session session;

    ObservedDecoder(DecoderWeights weights, Observer observer) {
        this.session = new DecoderReference(weights).session(observer);
    }

    static String point(int layer, String name) {
        return DecoderReference.point(layer, name);
    }

    /** Feeds one token at the next position; returns its logits. */
    float[] next(int token) {
        return session.next(token);
    }
}
