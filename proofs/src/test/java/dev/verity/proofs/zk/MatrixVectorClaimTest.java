package dev.verity.proofs.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A fully connected layer's claim, reduced by the sumcheck, against the layer computed naively. */
class MatrixVectorClaimTest {
    @Test
    void aClaimAboutTheOutputReducesToClaimsAboutTheWeightsAndTheInput() {
        SplittableRandom rnd = new SplittableRandom(11);
        int m = 3;
        int n = 4;
        long[] w = new long[(1 << m) << n];
        long[] x = new long[1 << n];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextInt(-128, 128); // int8 weights, as the engine's
        }
        for (int j = 0; j < x.length; j++) {
            x[j] = rnd.nextInt(-128, 128);
        }
        long[] y = new long[1 << m];
        for (int i = 0; i < y.length; i++) {
            long acc = 0;
            for (int j = 0; j < x.length; j++) {
                acc += w[(i << n) + j] * x[j];
            }
            y[i] = acc;
        }
        Multilinear weights = Multilinear.ofSigned(w);
        Multilinear input = Multilinear.ofSigned(x);
        Multilinear output = Multilinear.ofSigned(y);

        Transcript prover = new Transcript("test.layer", 1);
        GoldilocksExt2[] r = {prover.challengeExtension("r0"), prover.challengeExtension("r1"), prover.challengeExtension("r2")};
        ProductSumcheck.Proof proof = MatrixVectorClaim.prove(weights, input, r, prover);
        Transcript check = new Transcript("test.layer", 1);
        GoldilocksExt2[] r2 = {check.challengeExtension("r0"), check.challengeExtension("r1"), check.challengeExtension("r2")};
        assertThat(r2).isEqualTo(r);
        // the prover's end claims, which the verifier would check against commitments
        GoldilocksExt2[] s = ProductSumcheck.verify(output.evaluate(r), n, proof,
                transcriptAt(r)).point();
        GoldilocksExt2 wClaim = MatrixVectorClaim.bindRows(weights, r).evaluate(s);
        GoldilocksExt2 xClaim = input.evaluate(s);
        MatrixVectorClaim.Reduced reduced = MatrixVectorClaim.verify(output.evaluate(r), n, proof, wClaim, xClaim, check);
        assertThat(reduced.point()).isEqualTo(s);
        assertThat(reduced.weightClaim()).isEqualTo(weights.evaluate(concat(r, s)));

        // a wrong output claim, or end claims that do not match the weights and input, are refused
        assertThatThrownBy(() -> MatrixVectorClaim.verify(output.evaluate(r).add(GoldilocksExt2.ONE), n, proof, wClaim, xClaim,
                transcriptAt(r))).isInstanceOf(ProofRejectedException.class);
        assertThatThrownBy(() -> MatrixVectorClaim.verify(output.evaluate(r), n, proof, wClaim.add(GoldilocksExt2.ONE), xClaim,
                transcriptAt(r))).isInstanceOf(ProofRejectedException.class).hasMessageContaining("do not multiply");
    }

    /** A fresh transcript advanced to the point where the layer's sumcheck starts. */
    private static Transcript transcriptAt(GoldilocksExt2[] r) {
        Transcript t = new Transcript("test.layer", 1);
        for (int i = 0; i < r.length; i++) {
            t.challengeExtension("r" + i);
        }
        return t;
    }

    private static GoldilocksExt2[] concat(GoldilocksExt2[] a, GoldilocksExt2[] b) {
        GoldilocksExt2[] out = new GoldilocksExt2[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
