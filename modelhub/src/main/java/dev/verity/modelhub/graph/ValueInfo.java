package dev.verity.modelhub.graph;

import java.util.List;

/**
 * A graph input or output: its name, element type and shape ({@code -1} for a dimension not fixed), and optionally
 * the symbolic names of its dimensions ({@code dim_param}, such as {@code "batch_size"}; empty when none is named, or
 * an empty string for a dimension without a name).
 */
public record ValueInfo(String name, DataType type, List<Long> dims, List<String> dimNames) {
    public ValueInfo {
        dims = List.copyOf(dims);
        dimNames = List.copyOf(dimNames);
        if (!dimNames.isEmpty() && dimNames.size() != dims.size()) {
            throw new IllegalArgumentException("value '" + name + "' has " + dims.size() + " dimensions but "
                    + dimNames.size() + " dimension names");
        }
    }

    public ValueInfo(String name, DataType type, List<Long> dims) {
        this(name, type, dims, List.of());
    }

    /** The symbolic name of dimension {@code index}, or an empty string. */
    public String dimName(int index) {
        return dimNames.isEmpty() ? "" : dimNames.get(index);
    }
}
