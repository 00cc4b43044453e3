package dev.verity.inference.program;

import java.util.List;

/**
 * {@link Softmax} over the last axis of attention scores {@code [..., M, L]}, with the causal mask of a
 * sequence whose first row is at {@code position} (an INT32 {@code [1]} input): row {@code m} (index along
 * the second-last axis) sees keys {@code k <= position + m}; the other elements are left out of the
 * maximum and the sum and get probability 0 (output -128). A row that sees no key is all -128. For a
 * row's visible elements the arithmetic is {@link Softmax}'s, with the same exp table rules:
 *
 * <pre>
 *   m = max x[k],  e[k] = expTable[m - x[k]],  S = sum e[k] (64 bits),  y[k] = clamp(divRoundHalfEven(e[k] * 256, S) - 128)
 * </pre>
 *
 * The position is an input rather than a constant so that one static program serves every position
 * of a generation (the keys after it are whatever the cache holds, never read).
 */
public record CausalSoftmax(String input, String position, String output, int[] expTable) implements Op {
    public CausalSoftmax {
        Op.checkName(input);
        Op.checkName(position);
        Op.checkName(output);
        expTable = Softmax.checkedExpTable(expTable);
    }

    @Override
    public int[] expTable() {
        return expTable.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input, position);
    }
}
