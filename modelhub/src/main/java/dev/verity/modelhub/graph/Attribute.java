package dev.verity.modelhub.graph;

/** A node attribute, by ONNX attribute type. */
public sealed interface Attribute {
    record Int(long value) implements Attribute {}

    record Float(float value) implements Attribute {}

    record Ints(long[] values) implements Attribute {
        public Ints {
            values = values.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }
    }

    record Floats(float[] values) implements Attribute {
        public Floats {
            values = values.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }
    }

    record Str(String value) implements Attribute {}

    record Tensor(TensorData value) implements Attribute {}
}
