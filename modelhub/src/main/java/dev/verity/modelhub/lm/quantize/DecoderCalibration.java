package dev.verity.modelhub.lm.quantize;

import dev.verity.modelhub.lm.DecoderWeights;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Activation ranges of a decoder, by point of its forward pass ({@link ObservedDecoder#POINTS}, per layer prefixed
 * {@code "layer<l>."}), observed while {@link ObservedDecoder} runs each calibration sequence from position 0.
 */
public record DecoderCalibration(SortedMap<String, ActivationRange> ranges, int tokens) {
    public DecoderCalibration {
        ranges = Collections.unmodifiableSortedMap(new TreeMap<>(ranges));
    }

    /** Runs every sequence through the float decoder and records the range of every point. */
    public static DecoderCalibration calibrate(DecoderWeights weights, List<int[]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one token sequence");
        }
        TreeMap<String, ActivationRange> ranges = new TreeMap<>();
        int tokens = 0;
        for (int[] sequence : sequences) {
            ObservedDecoder decoder = new ObservedDecoder(weights, (point, values) -> {
                for (double v : values) {
                    ranges.merge(point, new ActivationRange(v, v), (a, b) -> a.widen(b.min()));
                }
            });
            for (int token : sequence) {
                decoder.next(token);
                tokens++;
            }
        }
        return new DecoderCalibration(ranges, tokens);
    }

    /** The range of one point, or an exception naming it. */
    public ActivationRange range(String point) {
        ActivationRange r = ranges.get(point);
        if (r == null) {
            throw new IllegalArgumentException("no calibration data for '" + point + "'");
        }
        return r;
    }
}
