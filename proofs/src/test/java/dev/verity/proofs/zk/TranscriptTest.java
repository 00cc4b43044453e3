package dev.verity.proofs.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every absorbed byte, label, order and the domain itself changes the challenges; the encoding is length-prefixed. */
class TranscriptTest {
    static long first(Transcript t) {
        return t.challenge("c");
    }

    @Test
    void challengesAreDeterministicCanonicalAndBoundToEverythingBefore() {
        assertThat(first(new Transcript("d", 1).absorb("a", new byte[] {1})))
                .isEqualTo(first(new Transcript("d", 1).absorb("a", new byte[] {1})));
        Set<Long> seen = new HashSet<>();
        seen.add(first(new Transcript("d", 1).absorb("a", new byte[] {1})));
        seen.add(first(new Transcript("d", 2).absorb("a", new byte[] {1})));          // version
        seen.add(first(new Transcript("e", 1).absorb("a", new byte[] {1})));          // domain
        seen.add(first(new Transcript("d", 1).absorb("b", new byte[] {1})));          // label
        seen.add(first(new Transcript("d", 1).absorb("a", new byte[] {2})));          // value
        seen.add(first(new Transcript("d", 1).absorb("a", new byte[] {1, 0})));       // length
        seen.add(first(new Transcript("d", 1).absorb("ab", new byte[] {})));          // where the label ends
        seen.add(first(new Transcript("d", 1).absorb("a", new byte[] {1}).absorb("a", new byte[] {1}))); // repetition
        seen.add(first(new Transcript("d", 1)));                                       // nothing absorbed
        assertThat(seen).hasSize(9);
        Transcript t = new Transcript("d", 1);
        long c1 = t.challenge("c");
        long c2 = t.challenge("c");
        assertThat(c1).as("a challenge moves the state, so the next differs").isNotEqualTo(c2);
        assertThat(Goldilocks.isCanonical(c1) && Goldilocks.isCanonical(c2)).isTrue();
    }

    @Test
    void orderMatters() {
        long ab = first(new Transcript("d", 1).absorb("x", new byte[] {1}).absorb("y", new byte[] {2}));
        long ba = first(new Transcript("d", 1).absorb("y", new byte[] {2}).absorb("x", new byte[] {1}));
        assertThat(ab).isNotEqualTo(ba);
        GoldilocksExt2 e = new Transcript("d", 1).challengeExtension("c");
        assertThat(e.c0()).isNotEqualTo(e.c1());
    }
}
