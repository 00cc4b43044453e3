package dev.verity.modelhub.lm.train;

/**
 * How to train a decoder.
 *
 * @param steps            optimiser steps
 * @param batchSequences   sequences per step, each drawn at a seeded random offset of the training tokens
 * @param sequenceLength   positions per sequence (at most the context length)
 * @param peakLearningRate reached after {@code warmupSteps}, then cosine-decayed to {@code minimumLearningRate}
 * @param weightDecay      AdamW's decoupled decay on matrices and embeddings
 * @param clipNorm         the global gradient norm is clipped to this (0: no clipping)
 * @param seed             initialisation and batch sampling
 * @param chunks           the batch is split into this many fixed chunks (see {@link BatchGradient}); the result
 *                         depends on it, not on {@code threads}
 * @param threads          worker threads
 * @param evaluationInterval held-out loss is measured every this many steps (and after the last)
 * @param evaluationWindows windows of the held-out tokens used for those interim measurements
 */
public record DecoderTrainingOptions(int steps, int batchSequences, int sequenceLength, double peakLearningRate,
                                     double minimumLearningRate, int warmupSteps, double weightDecay, double beta1,
                                     double beta2, double clipNorm, long seed, int chunks, int threads,
                                     int evaluationInterval, int evaluationWindows) {
    public DecoderTrainingOptions {
        if (steps < 1 || batchSequences < 1 || sequenceLength < 1 || chunks < 1 || threads < 1 || evaluationInterval < 1
                || evaluationWindows < 1) {
            throw new IllegalArgumentException("steps, batch, sequence length, chunks, threads and evaluation settings must be "
                    + "positive");
        }
        if (clipNorm < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("clip norm and weight decay must not be negative");
        }
        new LearningRateSchedule(peakLearningRate, minimumLearningRate, Math.min(warmupSteps, steps), steps);
    }

    /** The defaults of the shipped model, for {@code steps} steps. */
    public static DecoderTrainingOptions defaults(int steps, int sequenceLength, long seed, int threads) {
        return new DecoderTrainingOptions(steps, 16, sequenceLength, 2e-3, 2e-4, Math.min(100, steps / 10), 0.1, 0.9, 0.95,
                1.0, seed, 4, threads, Math.max(1, steps / 20), 64);
    }

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(peakLearningRate, minimumLearningRate, Math.min(warmupSteps, steps), steps);
    }
}
