package dev.verity.modelhub.quantize;

import dev.verity.modelhub.graph.DataType;
import java.util.Arrays;

/** The observed range and (static) shape of one tensor over all calibration runs. */
public record TensorRange(String name, DataType type, int[] shape, double min, double max, long count) {
    public TensorRange {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorRange r && name.equals(r.name) && type == r.type && Arrays.equals(shape, r.shape)
                && Double.compare(min, r.min) == 0 && Double.compare(max, r.max) == 0 && count == r.count;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape) + " [" + min + ", " + max + "]";
    }
}
