package dev.verity.modelhub.lm.train;

/**
 * One optimiser step as it happened.
 *
 * @param trainLoss    mean nats per predicted token of the step's batch, before the update
 * @param gradientNorm the global norm before clipping
 * @param heldOutLoss  mean nats per token on the interim held-out windows, or NaN when not measured at this step
 */
public record TrainingProgress(int step, double learningRate, double trainLoss, double gradientNorm, double heldOutLoss,
                               long elapsedMillis) {
    public boolean hasHeldOutLoss() {
        return !Double.isNaN(heldOutLoss);
    }
}
