package dev.verity.bench.lm;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** A way to run the language model: greedy generation as a node runs it, and teacher-forced logits for scoring. */
public interface LanguageModelEngine extends AutoCloseable {
    /** A short name for tables. */
    String name();

    /**
     * Generates {@code count} tokens greedily after {@code prompt} (no end token: always {@code count}), telling
     * {@code onToken} each token's index as it is drawn; returns the tokens.
     */
    List<Integer> generateGreedy(int[] prompt, int count, IntConsumer onToken);

    /** Feeds {@code tokens} one position at a time; hands {@code perPosition} the logits in nats after each. */
    void teacherForced(int[] tokens, Consumer<double[]> perPosition);

    @Override
    default void close() {}
}
