package dev.verity.inference.program;

import java.util.List;

/**
 * Max pooling over NCHW int8: the maximum of the input elements inside the window (padding positions are
 * ignored). Input and output share their quantization.
 */
public record MaxPool(String input, String output, Window2d window) implements Op {
    public MaxPool {
        Op.checkName(input);
        Op.checkName(output);
        if (window == null) {
            throw new IllegalArgumentException("MaxPool needs a window");
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
