package dev.verity.inference.program;

import java.util.List;

/**
 * Integer softmax. The input is viewed as {@code [outer, length, inner]}: with {@code coerceTo2d}
 * (ONNX opset &lt; 13) {@code length} is the product of the dimensions from {@code axis} on and
 * {@code inner = 1}; otherwise {@code length} is dimension {@code axis}. For each row (fixed outer and
 * inner index):
 *
 * <pre>
 *   m    = max_k x[k]
 *   e[k] = expTable[m - x[k]]                  (m - x[k] in [0, 255])
 *   S    = sum_k e[k]                          (64 bits, k ascending)
 *   y[k] = clamp(divRoundHalfEven(e[k] * 256, S) - 128, -128, 127)
 * </pre>
 *
 * {@code expTable[d] ~ 2^EXP_BITS * exp(-sX * d)}, non-increasing, {@code expTable[0] = 2^EXP_BITS}, all
 * non-negative; it is built by the quantizer. The output is uint8-like: scale 1/256, zero point -128.
 */
public record Softmax(String input, String output, int axis, boolean coerceTo2d, int[] expTable) implements Op {
    /** Fraction bits of the exp table. */
    public static final int EXP_BITS = 20;

    public Softmax {
        Op.checkName(input);
        Op.checkName(output);
        if (axis < 0 || axis >= Shapes.MAX_RANK) {
            throw new IllegalArgumentException("Softmax axis " + axis + " out of range");
        }
        expTable = checkedExpTable(expTable);
    }

    /** A copy of {@code expTable} after checking the rules above (shared with {@link CausalSoftmax}). */
    static int[] checkedExpTable(int[] expTable) {
        if (expTable.length != 256) {
            throw new IllegalArgumentException("the softmax exp table has 256 entries, got " + expTable.length);
        }
        if (expTable[0] != 1 << EXP_BITS) {
            throw new IllegalArgumentException("expTable[0] must be 2^" + EXP_BITS);
        }
        for (int i = 1; i < 256; i++) {
            if (expTable[i] < 0 || expTable[i] > expTable[i - 1]) {
                throw new IllegalArgumentException("the softmax exp table must be non-negative and non-increasing");
            }
        }
        return expTable.clone();
    }

    @Override
    public int[] expTable() {
        return expTable.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
