package dev.verity.modelhub.lm.train;

/**
 * Linear warm-up from zero to {@code peak} over {@code warmupSteps}, then cosine decay to {@code minimum} at
 * {@code totalSteps}.
 */
public record LearningRateSchedule(double peak, double minimum, int warmupSteps, int totalSteps) {
    public LearningRateSchedule {
        if (!(peak > 0) || minimum < 0 || minimum > peak) {
            throw new IllegalArgumentException("learning rates must satisfy 0 <= minimum <= peak, peak > 0; got peak " + peak
                    + ", minimum " + minimum);
        }
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warm-up steps <= total steps, total >= 1; got " + warmupSteps
                    + " and " + totalSteps);
        }
    }

    /** The rate for step {@code step} (counting from 0). */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps;
        double progress = decaySteps == 0 ? 1 : Math.min(1, (double) (step - warmupSteps) / decaySteps);
        return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
    }
}
