package dev.verity.proofs.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The product sumcheck against a naive evaluator, and the refusals of a verifier that was lied to. */
class ProductSumcheckTest {
    static Multilinear random(SplittableRandom rnd, int variables) {
        long[] v = new long[1 << variables];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextLong();
        }
        return Multilinear.ofBase(v);
    }

    /** The multilinear extension at a point, straight from its definition: Σ_b f(b) Π (b_i r_i + (1-b_i)(1-r_i)). */
    static GoldilocksExt2 naive(Multilinear f, GoldilocksExt2[] r) {
        int n = f.variables();
        GoldilocksExt2 sum = GoldilocksExt2.ZERO;
        for (int b = 0; b < 1 << n; b++) {
            GoldilocksExt2 weight = GoldilocksExt2.ONE;
            for (int i = 0; i < n; i++) {
                boolean bit = ((b >> (n - 1 - i)) & 1) == 1;
                weight = weight.mul(bit ? r[i] : GoldilocksExt2.ONE.sub(r[i]));
            }
            sum = sum.add(f.value(b).mul(weight));
        }
        return sum;
    }

    static GoldilocksExt2 productSum(Multilinear f, Multilinear g) {
        GoldilocksExt2 s = GoldilocksExt2.ZERO;
        for (int i = 0; i < 1 << f.variables(); i++) {
            s = s.add(f.value(i).mul(g.value(i)));
        }
        return s;
    }

    static Transcript transcript() {
        return new Transcript("test.sumcheck", 1).absorb("statement", new byte[] {1, 2, 3});
    }

    @Test
    void anHonestProofReducesToTheProductOfTheEvaluationsAtTheChallengePoint() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n <= 7; n++) {
            Multilinear f = random(rnd, n);
            Multilinear g = random(rnd, n);
            ProductSumcheck.Proof proof = ProductSumcheck.prove(f, g, transcript());
            ProductSumcheck.Reduced reduced = ProductSumcheck.verify(productSum(f, g), n, proof, transcript());
            assertThat(reduced.claim()).as("%d variables", n)
                    .isEqualTo(naive(f, reduced.point()).mul(naive(g, reduced.point())))
                    .isEqualTo(f.evaluate(reduced.point()).mul(g.evaluate(reduced.point())));
        }
    }

    @Test
    void aWrongClaimOrAnAlteredRoundIsRefusedOrLeftWithAFalseReducedClaim() {
        SplittableRandom rnd = new SplittableRandom(9);
        Multilinear f = random(rnd, 5);
        Multilinear g = random(rnd, 5);
        GoldilocksExt2 truth = productSum(f, g);
        ProductSumcheck.Proof proof = ProductSumcheck.prove(f, g, transcript());
        assertThatThrownBy(() -> ProductSumcheck.verify(truth.add(GoldilocksExt2.ONE), 5, proof, transcript()))
                .isInstanceOf(ProofRejectedException.class).hasMessageContaining("round 0");
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 3; k++) {
                List<GoldilocksExt2[]> altered = new ArrayList<>();
                for (GoldilocksExt2[] r : proof.rounds()) {
                    altered.add(r.clone());
                }
                altered.get(round)[k] = altered.get(round)[k].add(GoldilocksExt2.ONE);
                ProductSumcheck.Proof bad = new ProductSumcheck.Proof(altered);
                try {
                    ProductSumcheck.Reduced reduced = ProductSumcheck.verify(truth, 5, bad, transcript());
                    // the rounds happened to add up (only h(2) of the last round can): the final check fails instead
                    assertThat(reduced.claim()).isNotEqualTo(f.evaluate(reduced.point()).mul(g.evaluate(reduced.point())));
                } catch (ProofRejectedException e) {
                    assertThat(e.getMessage()).contains("sumcheck round");
                }
            }
        }
        assertThatThrownBy(() -> ProductSumcheck.verify(truth, 4, proof, transcript()))
                .isInstanceOf(ProofRejectedException.class).hasMessageContaining("5 rounds for 4 variables");
    }

    @Test
    void aProofMadeUnderOneStatementIsRefusedUnderAnother() {
        SplittableRandom rnd = new SplittableRandom(3);
        Multilinear f = random(rnd, 4);
        Multilinear g = random(rnd, 4);
        ProductSumcheck.Proof proof = ProductSumcheck.prove(f, g, transcript());
        ProductSumcheck.verify(productSum(f, g), 4, proof, transcript());
        // the challenges come from the statement absorbed first: under another, round 1 no longer adds up
        Transcript other = new Transcript("test.sumcheck", 1).absorb("statement", new byte[] {1, 2, 4});
        assertThatThrownBy(() -> ProductSumcheck.verify(productSum(f, g), 4, proof, other))
                .isInstanceOf(ProofRejectedException.class).hasMessageContaining("sumcheck round 1");
    }

    @Test
    void interpolationThroughThreePointsIsExact() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int t = 0; t < 50; t++) {
            GoldilocksExt2 a = new GoldilocksExt2(Goldilocks.reduce(rnd.nextLong()), Goldilocks.reduce(rnd.nextLong()));
            GoldilocksExt2 b = new GoldilocksExt2(Goldilocks.reduce(rnd.nextLong()), 0);
            GoldilocksExt2 c = new GoldilocksExt2(Goldilocks.reduce(rnd.nextLong()), Goldilocks.reduce(rnd.nextLong()));
            GoldilocksExt2 r = new GoldilocksExt2(Goldilocks.reduce(rnd.nextLong()), Goldilocks.reduce(rnd.nextLong()));
            // q(x) = a + b x + c x^2
            GoldilocksExt2[] h = new GoldilocksExt2[3];
            for (int x = 0; x < 3; x++) {
                GoldilocksExt2 xe = GoldilocksExt2.of(x);
                h[x] = a.add(b.mul(xe)).add(c.mul(xe).mul(xe));
            }
            assertThat(ProductSumcheck.interpolate(h, r)).isEqualTo(a.add(b.mul(r)).add(c.mul(r).mul(r)));
        }
    }
}
