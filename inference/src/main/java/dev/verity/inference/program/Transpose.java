package dev.verity.inference.program;

import java.util.Arrays;
import java.util.List;

/** Axis permutation: output dimension {@code i} is input dimension {@code perm[i]}. Any type, same quantization. */
public record Transpose(String input, String output, int[] perm) implements Op {
    public Transpose {
        Op.checkName(input);
        Op.checkName(output);
        if (perm.length > Shapes.MAX_RANK) {
            throw new IllegalArgumentException("Transpose perm longer than " + Shapes.MAX_RANK);
        }
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) {
                throw new IllegalArgumentException("Transpose perm is not a permutation: " + Arrays.toString(perm));
            }
            seen[p] = true;
        }
        perm = perm.clone();
    }

    @Override
    public int[] perm() {
        return perm.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
