package dev.verity.modelhub.train;

import java.util.List;

/**
 * One layer of a {@link Network}, processing one example at a time. {@link #forward} remembers what
 * {@link #backward} needs, so a backward pass must follow the forward pass of the same example.
 */
abstract class Layer {
    /** The layer's name in the exported graph: its node, its output and its initializers' prefix. */
    final String name;

    Layer(String name) {
        this.name = name;
    }

    /** The output for one example. */
    abstract float[] forward(float[] input);

    /**
     * Adds this example's parameter gradients to {@link Param#grad}, given the loss gradient with
     * respect to the output, and returns the gradient with respect to the input (or null when
     * {@code needInputGradient} is false: the first layer's input is the data).
     */
    abstract float[] backward(float[] outputGradient, boolean needInputGradient);

    List<Param> params() {
        return List.of();
    }

    /** Appends this layer's ONNX node(s) reading {@code input} and writing {@code output}. */
    abstract void export(GraphBuilder graph, String input, String output);
}
