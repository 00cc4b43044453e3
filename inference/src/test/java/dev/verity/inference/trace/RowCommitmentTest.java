package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Row leaves and multi-proofs: the tree is core Merkle's, and a proof verifies exactly the rows it was made for. */
class RowCommitmentTest {
    static List<Hash> leaves(int n) {
        List<Hash> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(Sha256.digest(new byte[] {(byte) i, (byte) (i >> 8), 7}));
        }
        return l;
    }

    static int[] subset(Random rnd, int n) {
        return switch (rnd.nextInt(4)) {
            case 0 -> new int[] {rnd.nextInt(n)};
            case 1 -> { // a contiguous run
                int a = rnd.nextInt(n);
                int b = a + rnd.nextInt(n - a);
                int[] r = new int[b - a + 1];
                for (int i = 0; i < r.length; i++) {
                    r[i] = a + i;
                }
                yield r;
            }
            case 2 -> java.util.stream.IntStream.range(0, n).toArray();
            default -> java.util.stream.IntStream.range(0, n).filter(i -> rnd.nextInt(3) == 0).toArray();
        };
    }

    @Test
    void multiProofsVerifyTheirRowsAndNothingElse() {
        Random rnd = new Random(3);
        for (int n = 1; n <= 70; n++) {
            List<Hash> leaves = leaves(n);
            Hash root = Merkle.root(leaves);
            for (int trial = 0; trial < 12; trial++) {
                int[] rows = subset(rnd, n);
                if (rows.length == 0) {
                    continue;
                }
                List<Hash> given = Arrays.stream(rows).mapToObj(leaves::get).toList();
                List<Hash> proof = RowCommitment.prove(leaves, rows);
                assertThat(RowCommitment.verify(root, n, rows, given, proof)).as("n %d rows %s", n, Arrays.toString(rows)).isTrue();
                if (rows.length == 1) {
                    assertThat(proof).isEqualTo(Merkle.path(leaves, rows[0])); // one row: core's own path
                }
                if (rows.length == n) {
                    assertThat(proof).isEmpty();
                }
                assertThat(proof.size()).isLessThanOrEqualTo(rows.length * 7);
                // a wrong leaf, a wrong root, a wrong count, a hash dropped, one too many, one changed
                List<Hash> bad = new ArrayList<>(given);
                bad.set(bad.size() - 1, Sha256.digest(new byte[] {1}));
                assertThat(RowCommitment.verify(root, n, rows, bad, proof)).isFalse();
                assertThat(RowCommitment.verify(Sha256.digest(new byte[] {2}), n, rows, given, proof)).isFalse();
                if (!proof.isEmpty()) {
                    assertThat(RowCommitment.verify(root, n, rows, given, proof.subList(1, proof.size()))).isFalse();
                    List<Hash> changed = new ArrayList<>(proof);
                    changed.set(rnd.nextInt(changed.size()), Sha256.digest(new byte[] {3}));
                    assertThat(RowCommitment.verify(root, n, rows, given, changed)).isFalse();
                }
                List<Hash> longer = new ArrayList<>(proof);
                longer.add(root);
                assertThat(RowCommitment.verify(root, n, rows, given, longer)).isFalse();
                // the same leaves claimed at other positions
                if (rows[rows.length - 1] + 1 < n) {
                    int[] shifted = Arrays.stream(rows).map(i -> i + 1).toArray();
                    assertThat(RowCommitment.verify(root, n, shifted, given, proof)).isFalse();
                }
                if (rows.length > 1) {
                    int[] swapped = rows.clone();
                    swapped[0] = rows[1];
                    swapped[1] = rows[0];
                    assertThat(RowCommitment.verify(root, n, swapped, given, proof)).isFalse();
                }
            }
        }
    }

    @Test
    void rowLeavesBindTheSpecTheIndexAndTheBytes() {
        TensorSpec a = new TensorSpec("a", DType.INT8, new int[] {3, 2}, Quantization.NONE);
        TensorSpec b = new TensorSpec("b", DType.INT8, new int[] {3, 2}, Quantization.NONE);
        byte[] row = {1, 2};
        Hash leaf = RowCommitment.rowLeaf(a, 1, row);
        assertThat(RowCommitment.rowLeaf(b, 1, row)).isNotEqualTo(leaf);
        assertThat(RowCommitment.rowLeaf(a, 2, row)).isNotEqualTo(leaf);
        assertThat(RowCommitment.rowLeaf(a, 1, new byte[] {1, 3})).isNotEqualTo(leaf);
        byte[] canonical = {9, 9, 1, 2, 8, 8};
        assertThat(RowCommitment.leaves(a, canonical).get(1)).isEqualTo(leaf);
        assertThat(RowCommitment.root(a, canonical)).isEqualTo(Merkle.root(RowCommitment.leaves(a, canonical)));
        // SHA-256(0x00 || string tag || spec || u32 row || bytes)
        dev.verity.core.Encoder e = new dev.verity.core.Encoder().u8(0).string("verity.inference.trace.row.v1");
        dev.verity.inference.program.ProgramCodec.writeSpec(e, a);
        e.u32(1).fixed(row);
        assertThat(leaf).isEqualTo(Sha256.digest(e.toByteArray()));
        TensorSpec wide = new TensorSpec("w", DType.INT32, new int[] {2, 3}, Quantization.NONE);
        assertThat(RowCommitment.rowBytes(wide)).isEqualTo(12);
    }
}
