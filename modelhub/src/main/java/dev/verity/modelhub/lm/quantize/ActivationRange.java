package dev.verity.modelhub.lm.quantize;

/** The smallest and largest value one activation took over the calibration sequences. */
public record ActivationRange(double min, double max) {
    public ActivationRange {
        if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("not a finite range: [" + min + ", " + max + "]");
        }
    }

    ActivationRange widen(double value) {
        return new ActivationRange(Math.min(min, value), Math.max(max, value));
    }
}
