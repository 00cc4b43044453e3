package dev.verity.proofs.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
    private static final Hash JOB = Sha256.digest(new byte[] {1});
    private static final PublicKey NODE = PrivateKey.fromSeed(new byte[32]).publicKey();
    private static final PublicKey OTHER = PrivateKey.fromSeed(Sha256.digest(new byte[] {9}).bytes()).publicKey();

    private static List<Hash> values(int n, int salt) {
        List<Hash> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(Sha256.digest(new byte[] {(byte) i, (byte) salt}));
        }
        return v;
    }

    @Test
    void rootEqualsTheCoreMerkleRootOverTheSameLeaves() {
        for (int n = 1; n <= 70; n++) {
            List<Hash> v = values(n, 0);
            TraceTree t = new TraceTree(JOB, NODE, v);
            List<Hash> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                leaves.add(TraceTree.leaf(JOB, NODE, i, v.get(i)));
            }
            assertThat(t.root()).as("n=%d", n).isEqualTo(Merkle.root(leaves));
        }
    }

    @Test
    void everyLeafProvesInsideEveryRangeThatHoldsIt() {
        for (int n = 1; n <= 33; n++) {
            TraceTree t = new TraceTree(JOB, NODE, values(n, 1));
            for (int i = 0; i < n; i++) {
                List<Hash> path = t.path(0, n, i);
                assertThat(path).hasSizeLessThanOrEqualTo(TraceTree.depth(n));
                Hash leaf = t.node(i, i + 1);
                assertThat(TraceTree.nodeFromPath(0, n, i, leaf, path)).isEqualTo(t.root());
                if (n > 1) {
                    Hash wrong = Sha256.digest(leaf.bytes());
                    assertThat(TraceTree.nodeFromPath(0, n, i, wrong, path)).isNotEqualTo(t.root());
                    assertThat(TraceTree.nodeFromPath(0, n, i, leaf, path.subList(1, path.size()))).isNull();
                }
            }
        }
    }

    @Test
    void leavesAreBoundToJobAndNode() {
        List<Hash> v = values(9, 2);
        assertThat(new TraceTree(JOB, NODE, v).root()).isNotEqualTo(new TraceTree(JOB, OTHER, v).root());
        assertThat(new TraceTree(JOB, NODE, v).root()).isNotEqualTo(new TraceTree(Sha256.digest(new byte[] {2}), NODE, v).root());
    }

    @Test
    void depthIsCeilLog2() {
        assertThat(TraceTree.depth(1)).isZero();
        assertThat(TraceTree.depth(2)).isEqualTo(1);
        assertThat(TraceTree.depth(3)).isEqualTo(2);
        assertThat(TraceTree.depth(8)).isEqualTo(3);
        assertThat(TraceTree.depth(9)).isEqualTo(4);
    }

    @Test
    void claimBindsTheOutputAndRoundTrips() {
        byte[] output = {4, 5, 6};
        List<Hash> v = values(6, 3);
        v.set(5, Sha256.digest(output));
        TraceTree t = new TraceTree(JOB, NODE, v);
        TraceClaim c = TraceClaim.of(t);
        assertThat(TraceClaim.decode(c.encode())).isEqualTo(c);
        assertThat(c.bindsOutput(JOB, NODE, 6, Sha256.digest(output))).isTrue();
        assertThat(c.bindsOutput(JOB, NODE, 6, Sha256.digest(new byte[] {4, 5, 7}))).isFalse();
        assertThat(c.bindsOutput(JOB, OTHER, 6, Sha256.digest(output))).isFalse();
        assertThat(c.bindsOutput(JOB, NODE, 7, Sha256.digest(output))).isFalse();
    }
}
