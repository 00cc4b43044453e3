package dev.verity.inference.program;

import java.util.List;

/**
 * Product of two int8 activations, batched over the leading dimensions (attention's {@code Q·Kᵀ} and
 * {@code P·V}, all heads at once). {@code a} is {@code [..., M, K]}; {@code b} is {@code [..., K, N]}, or
 * {@code [..., N, K]} with {@code transposeB}; the output is {@code [..., M, N]}; the leading (batch)
 * dimensions of all three are equal. For output element {@code (g, m, n)}:
 *
 * <pre>
 *   acc = sum_k (a[g,m,k] - zA) * (b[g,k,n] - zB)        (int32, k ascending; b[g,n,k] with transposeB)
 *   y   = clamp(zY + rq(acc, requant))                   (clamped to the output type's range)
 * </pre>
 *
 * The output is INT8, INT16 or INT32 (a language model's logits keep the accumulator: INT32 with
 * {@code requant} one). Overflow is impossible: each product is at most {@code 255 * 255} in magnitude and
 * {@code K <= } {@link #MAX_DEPTH}, so {@code |acc| < 2^31}.
 */
public record QMatMul(String a, String b, String output, boolean transposeB, Requantization requant) implements Op {
    /** Longest reduction: {@code 33025 * 255 * 255 = 2147450625 < 2^31}. */
    public static final int MAX_DEPTH = 33_025;

    public QMatMul {
        Op.checkName(a);
        Op.checkName(b);
        Op.checkName(output);
        if (requant == null) {
            throw new IllegalArgumentException("QMatMul needs a requantization");
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }
}
