package dev.verity.inference.program;

import java.util.List;

/**
 * Concatenation along {@code axis} of int8 tensors, each requantized to the output's scale:
 * for an element taken from input {@code i}, {@code y = clamp(zY + rq(x - zXi, requant[i]))}
 * ({@code requant[i] ~ sXi / sY}; {@link Requantization#ONE} when the scales agree).
 */
public record Concat(List<String> inputs, String output, int axis, List<Requantization> requant) implements Op {
    public Concat {
        inputs = List.copyOf(inputs);
        requant = List.copyOf(requant);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("Concat needs at least one input");
        }
        for (String in : inputs) {
            Op.checkName(in);
        }
        Op.checkName(output);
        if (requant.size() != inputs.size()) {
            throw new IllegalArgumentException("Concat needs one requantization per input");
        }
        if (axis < 0 || axis >= Shapes.MAX_RANK) {
            throw new IllegalArgumentException("Concat axis " + axis + " out of range");
        }
    }
}
