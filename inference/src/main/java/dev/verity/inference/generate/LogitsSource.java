package dev.verity.inference.generate;

import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;

/**
 * A language model seen one token at a time: each token is fed at the next position and the logits that follow it
 * come back as integers of a fixed scale. The integer engine is one ({@link Generator}); a float runtime is another,
 * once its logits are put in fixed point, so that both draw tokens with the same {@link Sampler}.
 */
public interface LogitsSource {
    /** Feeds {@code token} at the next position; returns the logits {@code [vocabulary]} after it. */
    Tensor feed(int token);

    /**
     * Feeds the prompt; returns the logits after its last token. One {@link #feed} per token unless the engine can take
     * them at once (ONNX Runtime's prefill); either way the logits are those of the last position.
     */
    default Tensor prefill(int[] tokens) {
        Tensor logits = null;
        for (int t : tokens) {
            logits = feed(t);
        }
        return logits;
    }

    /** The real value of one unit of the logits. */
    Requantization logitScale();

    /** The vocabulary's size: token ids are below it. */
    int vocabularySize();

    /** The most tokens (prompt and generated) the source takes. */
    int contextLength();
}
