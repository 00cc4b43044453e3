package dev.verity.inference.program;

import java.util.List;

/**
 * A new shape for the same elements: ONNX Reshape, Flatten, Squeeze and Unsqueeze (the target shape is
 * the output tensor's, resolved by the quantizer). Same type, same quantization, same element order.
 */
public record Reshape(String input, String output) implements Op {
    public Reshape {
        Op.checkName(input);
        Op.checkName(output);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
