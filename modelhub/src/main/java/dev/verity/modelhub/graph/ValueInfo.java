package dev.verity.modelhub.graph;

import java.util.List;

/** A graph input or output: its name, element type and shape ({@code -1} for a dimension not fixed). */
public record ValueInfo(String name, DataType type, List<Long> dims) {
    public ValueInfo {
        dims = List.copyOf(dims);
    }
}
