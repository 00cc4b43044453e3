package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;

/** What an operator sees of the node it computes: its inputs, attributes and the model's opset. */
final class OpContext {
    final Node node;
    final long opset;
    private final FloatTensor[] inputs;

    OpContext(Node node, long opset, FloatTensor[] inputs) {
        this.node = node;
        this.opset = opset;
        this.inputs = inputs;
    }

    /** Number of inputs the node declares, omitted optional ones included. */
    int inputCount() {
        return inputs.length;
    }

    boolean hasInput(int i) {
        return i < inputs.length && inputs[i] != null;
    }

    FloatTensor input(int i) {
        if (!hasInput(i)) {
            throw new IllegalArgumentException("required input #" + i + " is missing");
        }
        return inputs[i];
    }

    /** The input, or null when omitted. */
    FloatTensor optionalInput(int i) {
        return hasInput(i) ? inputs[i] : null;
    }

    /** A required FLOAT input; other element types are refused as unsupported. */
    FloatTensor floatInput(int i) {
        FloatTensor t = input(i);
        if (!t.isFloat()) {
            throw unsupported(node.opType() + " on a " + t.type() + " input (#" + i + ") is not supported");
        }
        return t;
    }

    /** A required INT64 input's values (shapes, axes, indices). */
    long[] int64Input(int i) {
        FloatTensor t = input(i);
        if (t.type() != DataType.INT64) {
            throw new IllegalArgumentException("input #" + i + " must be INT64, got " + t.type());
        }
        return t.longs;
    }

    boolean wantsOutput(int i) {
        return i < node.outputs().size() && !node.outputs().get(i).isEmpty();
    }

    boolean hasAttr(String name) {
        return node.attributes().containsKey(name);
    }

    long intAttr(String name, long fallback) {
        return node.intAttr(name, fallback);
    }

    float floatAttr(String name, float fallback) {
        return node.floatAttr(name, fallback);
    }

    long[] intsAttr(String name, long[] fallback) {
        return node.intsAttr(name, fallback);
    }

    String stringAttr(String name, String fallback) {
        return node.stringAttr(name, fallback);
    }

    TensorData tensorAttr(String name) {
        return node.attributes().get(name) instanceof Attribute.Tensor t ? t.value() : null;
    }

    UnsupportedOperatorException unsupported(String reason) {
        return new UnsupportedOperatorException(node.opType(), nodeName(), node.describe() + ": " + reason);
    }

    String nodeName() {
        return node.name().isEmpty() ? node.outputs().get(0) : node.name();
    }

    static FloatTensor[] one(FloatTensor t) {
        return new FloatTensor[] {t};
    }
}
