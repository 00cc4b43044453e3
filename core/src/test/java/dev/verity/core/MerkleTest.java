package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {
    private static Hash leaf(String s) {
        return Merkle.leaf(Bytes.utf8(s));
    }

    @Test
    void rootsFollowTheDocumentedConstruction() {
        Hash a = leaf("a"), b = leaf("b"), c = leaf("c");
        assertThat(Merkle.root(List.of())).isEqualTo(Sha256.digest(new byte[0]));
        assertThat(Merkle.root(List.of(a))).isEqualTo(a);
        assertThat(Merkle.root(List.of(a, b))).isEqualTo(Sha256.digest(Bytes.concat(new byte[] {1}, a.bytes(), b.bytes())));
        // An odd last node is carried up unchanged.
        assertThat(Merkle.root(List.of(a, b, c))).isEqualTo(Merkle.inner(Merkle.inner(a, b), c));
    }

    @Test
    void leavesAndInnerNodesAreDomainSeparated() {
        Hash a = leaf("a"), b = leaf("b");
        byte[] concatenation = Bytes.concat(a.bytes(), b.bytes());
        assertThat(Merkle.leaf(concatenation)).isNotEqualTo(Merkle.inner(a, b));
    }

    @Test
    void orderMatters() {
        Hash a = leaf("a"), b = leaf("b");
        assertThat(Merkle.root(List.of(a, b))).isNotEqualTo(Merkle.root(List.of(b, a)));
    }
}
