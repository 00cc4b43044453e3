package dev.verity.modelhub.quantize;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Per-tensor ranges and shapes from calibration runs, by tensor name (graph inputs and every node output). */
public record Calibration(SortedMap<String, TensorRange> ranges, int examples) {
    public Calibration {
        ranges = Collections.unmodifiableSortedMap(new TreeMap<>(ranges));
    }

    /** The range of a tensor, or an exception naming it. */
    public TensorRange range(String name) {
        TensorRange r = ranges.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no calibration data for tensor '" + name + "'");
        }
        return r;
    }

    public boolean has(String name) {
        return ranges.containsKey(name);
    }
}
