package dev.verity.inference.program;

import java.util.Arrays;

/** A named tensor of a program: element type, static shape (row-major) and quantization. */
public record TensorSpec(String name, DType dtype, int[] shape, Quantization quantization) {
    public TensorSpec {
        Op.checkName(name);
        if (dtype == null || quantization == null || shape == null) {
            throw new IllegalArgumentException("tensor '" + name + "': dtype, shape and quantization are required");
        }
        shape = shape.clone();
        Shapes.elementCount(shape, name); // validates
        if (quantization.zeroPoint() < dtype.min() || quantization.zeroPoint() > dtype.max()) {
            throw new IllegalArgumentException("tensor '" + name + "': zero point " + quantization.zeroPoint()
                    + " outside the " + dtype + " range");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int elementCount() {
        return Shapes.elementCount(shape, name);
    }

    public int zeroPoint() {
        return quantization.zeroPoint();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && quantization.equals(t.quantization);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TensorSpec(" + name + ", " + dtype + ", " + Arrays.toString(shape) + ", " + quantization + ")";
    }
}
