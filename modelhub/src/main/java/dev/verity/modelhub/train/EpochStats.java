package dev.verity.modelhub.train;

import java.util.Locale;

/**
 * One training epoch: the mean cross-entropy loss and the accuracy on the training examples as they
 * were seen during the epoch (the weights changing as it went), and the time since training began.
 */
public record EpochStats(int epoch, int epochs, double meanLoss, double trainAccuracy, long elapsedMillis) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, running train accuracy %.2f%% (%.1f s)",
                epoch, epochs, meanLoss, 100 * trainAccuracy, elapsedMillis / 1000.0);
    }
}
