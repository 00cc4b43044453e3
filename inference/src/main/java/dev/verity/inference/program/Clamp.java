package dev.verity.inference.program;

import java.util.List;

/**
 * Relu and Clip in the quantized domain: {@code y = clamp(x, min, max)}. Input and output share their
 * quantization; Relu is {@code min = zX}, Clip(lo, hi) is {@code min = zX + round(lo/sX)},
 * {@code max = zX + round(hi/sX)} (clamped to the type range).
 */
public record Clamp(String input, String output, int min, int max) implements Op {
    public Clamp {
        Op.checkName(input);
        Op.checkName(output);
        Op.checkRange(min, max);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
