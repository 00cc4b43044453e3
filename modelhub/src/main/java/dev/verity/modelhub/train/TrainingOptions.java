package dev.verity.modelhub.train;

/**
 * How to train: epochs, the seed (weights from {@code Random(seed)}, batch order from
 * {@code Random(seed + 1)}), Adam's learning rate and the mini-batch size.
 */
public record TrainingOptions(int epochs, long seed, double learningRate, int batchSize) {
    public static final long DEFAULT_SEED = 42;

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1: " + epochs);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
    }

    /**
     * The settings the shipped and documented models were trained with (see
     * {@code models/README.md}), seed {@value #DEFAULT_SEED}:
     * digits: 30 epochs, learning rate 0.01, batch 32; fashion MLP: 10 epochs, 0.001, batch 64;
     * fashion CNN: 5 epochs, 0.002, batch 64.
     */
    public static TrainingOptions defaults(String dataset, String architecture) {
        ModelTraining.checkNames(dataset, architecture);
        if (dataset.equals("digits")) {
            return new TrainingOptions(30, DEFAULT_SEED, 0.01, 32);
        }
        return architecture.equals("mlp")
                ? new TrainingOptions(10, DEFAULT_SEED, 0.001, 64)
                : new TrainingOptions(5, DEFAULT_SEED, 0.002, 64);
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, seed, learningRate, batchSize);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, newSeed, learningRate, batchSize);
    }

    public TrainingOptions withLearningRate(double newLearningRate) {
        return new TrainingOptions(epochs, seed, newLearningRate, batchSize);
    }

    public TrainingOptions withBatchSize(int newBatchSize) {
        return new TrainingOptions(epochs, seed, learningRate, newBatchSize);
    }
}
