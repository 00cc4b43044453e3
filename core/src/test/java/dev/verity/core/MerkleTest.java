package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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

    private static List<Hash> leaves(int n) {
        List<Hash> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(leaf("leaf " + i));
        }
        return l;
    }

    @Test
    void everyLeafOfEveryTreeUpTo40ProvesAgainstTheRoot() {
        for (int n = 1; n <= 40; n++) {
            List<Hash> leaves = leaves(n);
            Hash root = Merkle.root(leaves);
            int depth = 32 - Integer.numberOfLeadingZeros(n - 1);
            for (int i = 0; i < n; i++) {
                List<Hash> path = Merkle.path(leaves, i);
                assertThat(path.size()).as("n %d index %d", n, i).isLessThanOrEqualTo(depth);
                assertThat(Merkle.verify(root, n, i, leaves.get(i), path)).as("n %d index %d", n, i).isTrue();
                // the proof is for this leaf, this index and this size only
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        assertThat(Merkle.verify(root, n, j, leaves.get(i), path)).as("n %d: leaf %d at %d", n, i, j).isFalse();
                        assertThat(Merkle.verify(root, n, i, leaves.get(j), path)).isFalse();
                    }
                }
                assertThat(Merkle.verify(root, n, n, leaves.get(i), path)).isFalse();
                assertThat(Merkle.verify(root, n, -1, leaves.get(i), path)).isFalse();
            }
        }
    }

    @Test
    void tamperedPathsAreRejected() {
        for (int n = 2; n <= 40; n++) {
            List<Hash> leaves = leaves(n);
            Hash root = Merkle.root(leaves);
            for (int i = 0; i < n; i++) {
                List<Hash> path = Merkle.path(leaves, i);
                for (int k = 0; k < path.size(); k++) {
                    List<Hash> bad = new ArrayList<>(path);
                    bad.set(k, leaf("forged"));
                    assertThat(Merkle.verify(root, n, i, leaves.get(i), bad)).isFalse();
                }
                List<Hash> longer = new ArrayList<>(path);
                longer.add(leaves.get(0));
                assertThat(Merkle.verify(root, n, i, leaves.get(i), longer)).isFalse();
                if (!path.isEmpty()) {
                    assertThat(Merkle.verify(root, n, i, leaves.get(i), path.subList(0, path.size() - 1))).isFalse();
                    assertThat(Merkle.verify(root, n, i, leaves.get(i), path.reversed())).isEqualTo(path.size() == 1);
                }
                assertThat(Merkle.verify(leaf("other root"), n, i, leaves.get(i), path)).isFalse();
                assertThat(Merkle.verify(root, n, i, leaf("forged"), path)).isFalse();
            }
        }
    }

    @Test
    void aSingleLeafIsItsOwnRootWithAnEmptyPath() {
        Hash a = leaf("a");
        assertThat(Merkle.path(List.of(a), 0)).isEmpty();
        assertThat(Merkle.verify(a, 1, 0, a, List.of())).isTrue();
        assertThat(Merkle.verify(a, 0, 0, a, List.of())).isFalse();
    }

    @Test
    void oddLastNodesAddNoSibling() {
        List<Hash> l = leaves(5);
        // leaf 4 is carried up twice, then meets the root of leaves 0..3
        assertThat(Merkle.path(l, 4)).containsExactly(Merkle.root(l.subList(0, 4)));
        assertThat(Merkle.path(l, 2)).containsExactly(l.get(3), Merkle.inner(l.get(0), l.get(1)), l.get(4));
    }

    @Test
    void pathRefusesAnIndexOutsideTheTree() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Merkle.path(leaves(3), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside a tree of 3");
    }
}
