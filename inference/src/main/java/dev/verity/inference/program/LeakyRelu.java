package dev.verity.inference.program;

import java.util.List;

/**
 * LeakyRelu: {@code y = clamp(zY + rq(x - zX, x >= zX ? positive : negative))}, with
 * {@code positive ~ sX / sY} and {@code negative ~ alpha * sX / sY}; output clamped to int8.
 */
public record LeakyRelu(String input, String output, Requantization positive, Requantization negative) implements Op {
    public LeakyRelu {
        Op.checkName(input);
        Op.checkName(output);
        if (positive == null || negative == null) {
            throw new IllegalArgumentException("LeakyRelu needs both requantizations");
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
