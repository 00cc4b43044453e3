package dev.verity.inference.pkg;

import dev.verity.core.Bytes;
import dev.verity.inference.program.ProgramCodec;
import java.util.Arrays;

/**
 * A model input or output as the original ONNX model declares it.
 *
 * @param elementType the ONNX {@code TensorProto.DataType} code (1 = FLOAT, 3 = INT8, 7 = INT64, ...)
 * @param shape dimensions, {@code -1} for a dimension the model leaves open
 */
public record IoInfo(String name, int elementType, int[] shape) {
    public IoInfo {
        if (name == null || name.isEmpty() || Bytes.utf8(name).length > ProgramCodec.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("input/output name must be 1 to " + ProgramCodec.MAX_NAME_BYTES
                    + " UTF-8 bytes");
        }
        if (elementType < 0) {
            throw new IllegalArgumentException("element type code must not be negative: " + elementType);
        }
        if (shape.length > 64) {
            throw new IllegalArgumentException("rank " + shape.length + " too large");
        }
        for (int d : shape) {
            if (d < -1) {
                throw new IllegalArgumentException("dimension " + d + " is neither -1 nor a size");
            }
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IoInfo i && name.equals(i.name) && elementType == i.elementType && Arrays.equals(shape, i.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + elementType + Arrays.toString(shape);
    }
}
