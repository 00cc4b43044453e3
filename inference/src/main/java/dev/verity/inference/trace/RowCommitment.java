package dev.verity.inference.trace;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.TensorSpec;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor committed row by row along dimension 0, and proofs of some of its rows.
 *
 * <pre>
 *   rowLeaf(spec, r) = Merkle.leaf(string "verity.inference.trace.row.v1" || tensorSpec || u32 r || row r's bytes)
 *   rowRoot          = Merkle.root(rowLeaf(spec, 0), ..., rowLeaf(spec, rows - 1))
 * </pre>
 *
 * {@code tensorSpec} is ProgramCodec's spec encoding (name, dtype, shape, quantization), so a row of one tensor never
 * proves as a row of another; row {@code r}'s bytes are the tensor's canonical bytes (elements big-endian, two's
 * complement) from {@code r · rowBytes} on, {@code rowBytes = canonical length / rows}, without a length prefix.
 *
 * <p>A <b>multi-proof</b> of rows {@code i_1 < ... < i_k} lists the sibling hashes needed to rebuild the root from
 * their leaves, level by level from the bottom, left to right within a level: at each level the known nodes are taken
 * in ascending position {@code p}; a node whose pair {@code p ^ 1} is also known is hashed with it (nothing from the
 * proof); a node that is the odd last of its level is carried up (as core {@code Merkle} does); any other takes the
 * next proof hash as its sibling. A proof verifies only if it rebuilds the root and every hash in it is used. All rows
 * need no proof hash at all; a run of contiguous rows needs at most two per level.
 */
final class RowCommitment {
    static final String ROW_TAG = "verity.inference.trace.row.v1";

    private RowCommitment() {}

    /** Bytes of one row of a tensor of {@code spec} with {@code rows} rows along dimension 0. */
    static int rowBytes(TensorSpec spec) {
        int rows = spec.dim(0);
        return rows == 0 ? 0 : (int) ((long) spec.elementCount() * spec.dtype().width() / rows);
    }

    /** What every row leaf of {@code spec} starts with, after the 0x00: the tag and the spec. */
    static byte[] prefix(TensorSpec spec) {
        Encoder e = new Encoder(128);
        e.string(ROW_TAG);
        ProgramCodec.writeSpec(e, spec);
        return e.toByteArray();
    }

    /** Leaf of row {@code row}, whose bytes are {@code canonical[offset, offset + length)}. */
    static Hash rowLeaf(MessageDigest md, byte[] prefix, int row, byte[] canonical, int offset, int length) {
        md.update((byte) 0x00);
        md.update(prefix);
        md.update(new byte[] {(byte) (row >>> 24), (byte) (row >>> 16), (byte) (row >>> 8), (byte) row});
        md.update(canonical, offset, length);
        return Sha256.finish(md);
    }

    /** Leaf of row {@code row} given its bytes alone. */
    static Hash rowLeaf(TensorSpec spec, int row, byte[] rowBytes) {
        return rowLeaf(Sha256.newDigest(), prefix(spec), row, rowBytes, 0, rowBytes.length);
    }

    /** Every row's leaf, from the tensor's canonical bytes. */
    static List<Hash> leaves(TensorSpec spec, byte[] canonical) {
        int rows = spec.dim(0);
        int width = rowBytes(spec);
        if ((long) rows * width != canonical.length) {
            throw new IllegalArgumentException("tensor '" + spec.name() + "' needs " + ((long) rows * width) + " bytes, got "
                    + canonical.length);
        }
        MessageDigest md = Sha256.newDigest();
        byte[] prefix = prefix(spec);
        List<Hash> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(rowLeaf(md, prefix, r, canonical, r * width, width));
        }
        return out;
    }

    static Hash root(TensorSpec spec, byte[] canonical) {
        return Merkle.root(leaves(spec, canonical));
    }

    /** The multi-proof of rows {@code rows} (strictly ascending, in range) of the tree over {@code leaves}. */
    static List<Hash> prove(List<Hash> leaves, int[] rows) {
        int n = leaves.size();
        Hash[] level = leaves.toArray(new Hash[0]);
        int[] known = rows.clone();
        int count = known.length;
        List<Hash> proof = new ArrayList<>();
        Inner inner = new Inner();
        while (n > 1) {
            int next = 0;
            for (int i = 0; i < count; i++) {
                int p = known[i];
                int sibling = p ^ 1;
                if (sibling >= n) {
                    // the odd last node: carried up
                } else if ((p & 1) == 0 && i + 1 < count && known[i + 1] == sibling) {
                    i++;
                } else {
                    proof.add(level[sibling]);
                }
                known[next++] = p >> 1;
            }
            count = next;
            int up = 0;
            for (int i = 0; i < n; i += 2) {
                level[up++] = i + 1 < n ? inner.of(level[i], level[i + 1]) : level[i];
            }
            n = up;
        }
        return List.copyOf(proof);
    }

    /**
     * Whether {@code proof} proves that {@code rowLeaves} are the leaves at positions {@code rows} (strictly ascending,
     * in {@code [0, leafCount)}, at least one) of a tree of {@code leafCount} leaves with root {@code root}; false,
     * never an exception, on any mismatch, a proof too short, or a hash left over.
     */
    static boolean verify(Hash root, int leafCount, int[] rows, List<Hash> rowLeaves, List<Hash> proof) {
        int count = rows.length;
        if (root == null || count == 0 || count != rowLeaves.size() || leafCount < 1) {
            return false;
        }
        int[] pos = rows.clone();
        Hash[] node = rowLeaves.toArray(new Hash[0]);
        for (int i = 0; i < count; i++) {
            if (pos[i] < 0 || pos[i] >= leafCount || (i > 0 && pos[i] <= pos[i - 1]) || node[i] == null) {
                return false;
            }
        }
        int used = 0;
        int n = leafCount;
        Inner inner = new Inner();
        while (n > 1) {
            int next = 0;
            for (int i = 0; i < count; i++) {
                int p = pos[i];
                int sibling = p ^ 1;
                Hash h = node[i];
                if (sibling >= n) {
                    // carried up
                } else if ((p & 1) == 0 && i + 1 < count && pos[i + 1] == sibling) {
                    h = inner.of(h, node[++i]);
                } else {
                    if (used == proof.size() || proof.get(used) == null) {
                        return false;
                    }
                    Hash s = proof.get(used++);
                    h = (p & 1) == 0 ? inner.of(h, s) : inner.of(s, h);
                }
                pos[next] = p >> 1;
                node[next++] = h;
            }
            count = next;
            n = (n + 1) / 2;
        }
        return used == proof.size() && node[0].equals(root);
    }

    /** Core Merkle's inner node, SHA-256(0x01 || left || right), with one digest and one buffer for a whole tree. */
    private static final class Inner {
        private final MessageDigest md = Sha256.newDigest();
        private final byte[] b = new byte[1 + 2 * Hash.LENGTH];

        Inner() {
            b[0] = 0x01;
        }

        Hash of(Hash left, Hash right) {
            left.copyTo(b, 1);
            right.copyTo(b, 1 + Hash.LENGTH);
            return Sha256.finish(md, b);
        }
    }
}
