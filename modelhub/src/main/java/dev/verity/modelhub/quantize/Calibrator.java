package dev.verity.modelhub.quantize;

import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the float engine over calibration inputs and records, for every graph input and every node output,
 * its minimum, maximum and shape. Shapes must be the same in every run: the integer program is static.
 * Not thread-safe; one calibrator per calibration.
 */
public final class Calibrator {
    private final FloatEngine engine;
    private final TreeMap<String, TensorRange> ranges = new TreeMap<>();
    private int examples;

    public Calibrator(Graph graph) {
        this.engine = new FloatEngine(graph);
    }

    /** Calibrates {@code graph} on each of {@code inputs} (maps from graph input name to value). */
    public static Calibration calibrate(Graph graph, List<? extends Map<String, FloatTensor>> inputs) {
        Calibrator c = new Calibrator(graph);
        for (Map<String, FloatTensor> in : inputs) {
            c.observe(in);
        }
        return c.result();
    }

    /** Runs one example and records its tensors; returns the graph outputs. */
    public Map<String, FloatTensor> observe(Map<String, FloatTensor> inputs) {
        for (Map.Entry<String, FloatTensor> e : new TreeMap<>(inputs).entrySet()) {
            record(e.getKey(), e.getValue());
        }
        Map<String, FloatTensor> out = engine.run(inputs, (name, producer, value) -> record(name, value));
        examples++;
        return out;
    }

    /** The ranges seen so far. */
    public Calibration result() {
        if (examples == 0) {
            throw new IllegalStateException("no calibration example was run");
        }
        return new Calibration(ranges, examples);
    }

    private void record(String name, FloatTensor value) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < value.size(); i++) {
            double v = value.getDouble(i);
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("tensor '" + name + "' has a NaN during calibration");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        TensorRange old = ranges.get(name);
        if (old == null) {
            ranges.put(name, new TensorRange(name, value.type(), value.shape(), min, max, value.size()));
            return;
        }
        if (!Arrays.equals(old.shape(), value.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "' changes shape between calibration runs: "
                    + Arrays.toString(old.shape()) + " and " + Arrays.toString(value.shape())
                    + "; the integer program needs static shapes");
        }
        ranges.put(name, new TensorRange(name, old.type(), old.shape(), Math.min(old.min(), min), Math.max(old.max(), max),
                old.count() + value.size()));
    }
}
