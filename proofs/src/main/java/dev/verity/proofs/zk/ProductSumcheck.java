package dev.verity.proofs.zk;

import java.util.ArrayList;
import java.util.List;

/**
 * The sumcheck protocol for {@code S = Σ_{x ∈ {0,1}^n} f(x)·g(x)}, with {@code f} and {@code g} multilinear (the shape
 * of a fully connected layer's claim: weights times inputs). Round {@code i} the prover sends the degree-2 polynomial
 * {@code h_i(t)} (the sum with the first unbound variable set to {@code t}) by its values at {@code t = 0, 1, 2}; the
 * verifier checks {@code h_i(0) + h_i(1)} against the running claim, absorbs the three values and draws the challenge
 * {@code r_i} from the transcript; the claim becomes {@code h_i(r_i)}. After {@code n} rounds the claim must equal
 * {@code f(r)·g(r)}, which the caller checks against its commitments.
 *
 * <p>Soundness: a false claim passes a round with probability at most {@code 2 / |F_ext|} (Schwartz–Zippel for a
 * degree-2 polynomial), so at most {@code 2n / p^2} in all.
 */
public final class ProductSumcheck {
    /** The round messages: for each round, {@code h(0), h(1), h(2)}. */
    public record Proof(List<GoldilocksExt2[]> rounds) {
        public Proof {
            rounds = List.copyOf(rounds);
            for (GoldilocksExt2[] r : rounds) {
                if (r == null || r.length != 3) {
                    throw new IllegalArgumentException("a round message holds h(0), h(1) and h(2)");
                }
            }
        }
    }

    /** What the verifier is left with: the point {@code r} and the claimed value of {@code f(r)·g(r)} there. */
    public record Reduced(GoldilocksExt2[] point, GoldilocksExt2 claim) {}

    private ProductSumcheck() {}

    private static final GoldilocksExt2 TWO = GoldilocksExt2.of(2);

    /** Proves {@code Σ f·g}, absorbing each round into {@code transcript}. */
    public static Proof prove(Multilinear f, Multilinear g, Transcript transcript) {
        if (f.variables() != g.variables()) {
            throw new IllegalArgumentException("f and g must have the same variables, have " + f.variables() + " and "
                    + g.variables());
        }
        List<GoldilocksExt2[]> rounds = new ArrayList<>();
        int n = f.variables();
        for (int round = 0; round < n; round++) {
            int half = 1 << (f.variables() - 1);
            GoldilocksExt2 h0 = GoldilocksExt2.ZERO;
            GoldilocksExt2 h1 = GoldilocksExt2.ZERO;
            GoldilocksExt2 h2 = GoldilocksExt2.ZERO;
            for (int i = 0; i < half; i++) {
                GoldilocksExt2 f0 = f.value(i);
                GoldilocksExt2 f1 = f.value(half + i);
                GoldilocksExt2 g0 = g.value(i);
                GoldilocksExt2 g1 = g.value(half + i);
                h0 = h0.add(f0.mul(g0));
                h1 = h1.add(f1.mul(g1));
                // at t = 2: f = 2 f1 - f0, g = 2 g1 - g0
                h2 = h2.add(f1.mul(TWO).sub(f0).mul(g1.mul(TWO).sub(g0)));
            }
            GoldilocksExt2[] message = {h0, h1, h2};
            rounds.add(message);
            transcript.absorbExtension("sumcheck.round", message);
            GoldilocksExt2 r = transcript.challengeExtension("sumcheck.challenge");
            f = f.bindFirst(r);
            g = g.bindFirst(r);
        }
        return new Proof(rounds);
    }

    /**
     * Checks the rounds of a proof that {@code Σ f·g = claim} over {@code variables} variables and reduces it to one
     * claim at a random point; throws {@link ProofRejectedException} saying which round failed.
     */
    public static Reduced verify(GoldilocksExt2 claim, int variables, Proof proof, Transcript transcript) {
        if (proof.rounds().size() != variables) {
            throw new ProofRejectedException("the sumcheck has " + proof.rounds().size() + " rounds for " + variables
                    + " variables");
        }
        GoldilocksExt2[] point = new GoldilocksExt2[variables];
        GoldilocksExt2 current = claim;
        for (int i = 0; i < variables; i++) {
            GoldilocksExt2[] h = proof.rounds().get(i);
            if (!h[0].add(h[1]).equals(current)) {
                throw new ProofRejectedException("sumcheck round " + i + ": h(0) + h(1) is not the claim");
            }
            transcript.absorbExtension("sumcheck.round", h);
            GoldilocksExt2 r = transcript.challengeExtension("sumcheck.challenge");
            point[i] = r;
            current = interpolate(h, r);
        }
        return new Reduced(point, current);
    }

    /** The degree-2 polynomial through {@code (0, h0), (1, h1), (2, h2)} at {@code r} (Lagrange). */
    static GoldilocksExt2 interpolate(GoldilocksExt2[] h, GoldilocksExt2 r) {
        GoldilocksExt2 one = GoldilocksExt2.ONE;
        GoldilocksExt2 rMinus1 = r.sub(one);
        GoldilocksExt2 rMinus2 = r.sub(TWO);
        long half = Goldilocks.inverse(2);
        // L0 = (r-1)(r-2)/2, L1 = -r(r-2), L2 = r(r-1)/2
        GoldilocksExt2 l0 = rMinus1.mul(rMinus2).scale(half);
        GoldilocksExt2 l1 = r.mul(rMinus2).neg();
        GoldilocksExt2 l2 = r.mul(rMinus1).scale(half);
        return h[0].mul(l0).add(h[1].mul(l1)).add(h[2].mul(l2));
    }
}
