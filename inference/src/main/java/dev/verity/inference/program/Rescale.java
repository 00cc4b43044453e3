package dev.verity.inference.program;

import java.util.List;

/**
 * Multiplication by a constant real factor as a fixed-point multiply: ONNX Div by a constant {@code c}
 * ({@code requant ~ sX / (c * sY)}) or Mul by a scalar constant. {@code y = clamp(zY + rq(x - zX, requant))}.
 * The factor may be negative.
 */
public record Rescale(String input, String output, Requantization requant, int min, int max) implements Op {
    public Rescale {
        Op.checkName(input);
        Op.checkName(output);
        if (requant == null) {
            throw new IllegalArgumentException("Rescale needs a requantization");
        }
        Op.checkRange(min, max);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
