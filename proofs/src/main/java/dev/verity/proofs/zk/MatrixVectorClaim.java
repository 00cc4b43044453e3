package dev.verity.proofs.zk;

/**
 * The sumcheck step of a fully connected layer, {@code y = W·x} with {@code W} of {@code 2^m × 2^n}: a claim about
 * {@code ỹ(r)} at a point {@code r ∈ F^m} is {@code Σ_{j ∈ {0,1}^n} W̃(r, j)·x̃(j)}, a product sumcheck over {@code j}
 * whose end is one claim about {@code W̃(r, s)} (checked against the model's committed weights) and one about
 * {@code x̃(s)} (the layer below's output, the next claim down).
 */
public final class MatrixVectorClaim {
    /** What is left after the sumcheck: the point {@code s} and the claimed {@code W̃(r, s)} and {@code x̃(s)}. */
    public record Reduced(GoldilocksExt2[] point, GoldilocksExt2 weightClaim, GoldilocksExt2 inputClaim) {}

    private MatrixVectorClaim() {}

    /** {@code W̃(r, ·)}: the weight polynomial ({@code W} row-major, rows first) with its row variables bound to {@code r}. */
    public static Multilinear bindRows(Multilinear weights, GoldilocksExt2[] r) {
        Multilinear m = weights;
        for (GoldilocksExt2 ri : r) {
            m = m.bindFirst(ri);
        }
        return m;
    }

    /** Proves {@code ỹ(r) = Σ_j W̃(r, j)·x̃(j)}; returns the sumcheck proof (the caller sends the two end claims). */
    public static ProductSumcheck.Proof prove(Multilinear weights, Multilinear input, GoldilocksExt2[] r, Transcript transcript) {
        return ProductSumcheck.prove(bindRows(weights, r), input, transcript);
    }

    /**
     * Checks the sumcheck of {@code ỹ(r) = claim} over {@code inputVariables} variables and that the prover's end claims
     * multiply to the reduced claim; absorbs the end claims. Throws {@link ProofRejectedException} otherwise.
     */
    public static Reduced verify(GoldilocksExt2 claim, int inputVariables, ProductSumcheck.Proof proof,
                                 GoldilocksExt2 weightClaim, GoldilocksExt2 inputClaim, Transcript transcript) {
        ProductSumcheck.Reduced r = ProductSumcheck.verify(claim, inputVariables, proof, transcript);
        if (!weightClaim.mul(inputClaim).equals(r.claim())) {
            throw new ProofRejectedException("the layer's end claims W(r, s) and x(s) do not multiply to the sumcheck's claim");
        }
        transcript.absorbExtension("layer.claims", weightClaim, inputClaim);
        return new Reduced(r.point(), weightClaim, inputClaim);
    }
}
