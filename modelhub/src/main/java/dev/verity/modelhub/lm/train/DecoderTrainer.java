package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a decoder on a token stream: seeded GPT-2 initialisation, batches of sequences at seeded random offsets,
 * next-token cross-entropy, global-norm gradient clipping, AdamW with warm-up and cosine decay. For given options and
 * tokens the weights are the same bit for bit whatever the thread count (see {@link BatchGradient}).
 */
public final class DecoderTrainer {
    /** The trained weights and how the run went. */
    public record Result(DecoderWeights weights, List<TrainingProgress> history, long millis) {
        public Result {
            history = List.copyOf(history);
        }
    }

    private DecoderTrainer() {}

    public static Result train(DecoderConfig config, int[] trainTokens, int[] heldOutTokens, DecoderTrainingOptions options,
                               Consumer<TrainingProgress> listener) {
        ParameterLayout layout = ParameterLayout.of(config);
        return train(layout, DecoderInitializer.initialize(layout, options.seed()), trainTokens, heldOutTokens, options,
                listener);
    }

    /** Trains from the given flat initial values (modified in place). */
    public static Result train(ParameterLayout layout, float[] values, int[] trainTokens, int[] heldOutTokens,
                               DecoderTrainingOptions options, Consumer<TrainingProgress> listener) {
        int length = options.sequenceLength();
        if (length > layout.config().contextLength()) {
            throw new IllegalArgumentException("sequence length " + length + " exceeds the context of "
                    + layout.config().contextLength());
        }
        if (trainTokens.length < length + 1) {
            throw new IllegalArgumentException("the training text has " + trainTokens.length + " tokens; a sequence of "
                    + length + " needs " + (length + 1));
        }
        long start = System.nanoTime();
        LearningRateSchedule schedule = options.schedule();
        AdamW optimizer = new AdamW(layout, options.beta1(), options.beta2(), 1e-8, options.weightDecay());
        Random sampling = new Random(options.seed() ^ 0x5DEECE66DL);
        float[] gradient = new float[layout.size()];
        int[] starts = new int[options.batchSequences()];
        List<TrainingProgress> history = new ArrayList<>();
        try (BatchGradient batch = new BatchGradient(layout, options.chunks(), options.threads())) {
            for (int step = 0; step < options.steps(); step++) {
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = sampling.nextInt(trainTokens.length - length);
                }
                double nats = batch.run(new WeightSnapshot(layout, values), trainTokens, starts, length, gradient);
                double norm = globalNorm(gradient);
                float clip = options.clipNorm() > 0 && norm > options.clipNorm() ? (float) (options.clipNorm() / norm) : 1f;
                double rate = schedule.at(step);
                optimizer.step(values, gradient, clip, rate);
                boolean evaluate = heldOutTokens != null && ((step + 1) % options.evaluationInterval() == 0
                        || step == options.steps() - 1);
                double heldOut = evaluate
                        ? evaluate(batch, layout, values, heldOutTokens, length, options.evaluationWindows()).meanNats()
                        : Double.NaN;
                TrainingProgress progress = new TrainingProgress(step + 1, rate, nats / ((long) starts.length * length), norm,
                        heldOut, (System.nanoTime() - start) / 1_000_000);
                history.add(progress);
                listener.accept(progress);
            }
        }
        return new Result(layout.toWeights(values), history, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The loss on {@code tokens}, cut into windows of {@code length} predictions ({@code length + 1} tokens, consecutive
     * windows sharing one token, so every token but the first is predicted once); at most {@code maxWindows} of them,
     * evenly spaced.
     */
    public static Evaluation evaluate(DecoderWeights weights, int[] tokens, int length, int maxWindows, int threads) {
        ParameterLayout layout = ParameterLayout.of(weights.config());
        try (BatchGradient batch = new BatchGradient(layout, Math.max(1, threads), threads)) {
            return evaluate(batch, layout, layout.flatten(weights), tokens, length, maxWindows);
        }
    }

    private static Evaluation evaluate(BatchGradient batch, ParameterLayout layout, float[] values, int[] tokens, int length,
                                       int maxWindows) {
        int[] starts = windowStarts(tokens.length, length, maxWindows);
        if (starts.length == 0) {
            throw new IllegalArgumentException("the held-out text has " + tokens.length + " tokens; a window of " + length
                    + " needs " + (length + 1));
        }
        double nats = batch.run(new WeightSnapshot(layout, values), tokens, starts, length, null);
        return new Evaluation(nats, (long) starts.length * length);
    }

    /** Offsets of the evaluation windows: all {@code ⌊(n - 1) / length⌋}, or {@code maxWindows} of them evenly spaced. */
    static int[] windowStarts(int tokenCount, int length, int maxWindows) {
        int all = Math.max(0, (tokenCount - 1) / length);
        int count = Math.min(all, maxWindows);
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = (int) ((long) i * all / count) * length;
        }
        return starts;
    }

    static double globalNorm(float[] gradient) {
        double sum = 0;
        for (float g : gradient) {
            sum += (double) g * g;
        }
        return Math.sqrt(sum);
    }
}
