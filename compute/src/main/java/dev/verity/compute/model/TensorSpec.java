package dev.verity.compute.model;

import java.util.List;
import java.util.Objects;

/**
 * A graph input or output as declared in an ONNX file.
 *
 * @param name        the tensor name a runtime feeds or fetches by
 * @param elementType the ONNX {@code TensorProto.DataType} name, e.g. {@code "INT64"} or {@code "FLOAT"};
 *                    {@code "UNDEFINED"} when not declared, {@code "NON_TENSOR"} for sequences, maps and the like
 * @param shape       one entry per dimension: the size in decimal, the symbolic name (e.g. {@code "batch_size"}),
 *                    or {@code "?"} when unknown; empty for a scalar or when the rank is not declared
 */
public record TensorSpec(String name, String elementType, List<String> shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = List.copyOf(shape);
    }

    public int rank() {
        return shape.size();
    }
}
