package dev.verity.proofs.trace;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace commitment of one result: a Merkle tree over the trace values {@code v_0 .. v_{N-1}} of a job
 * (the state hashes of the integer engine's run and the output hash), each leaf bound to the job and to
 * the node that posted the result:
 *
 * <pre>
 *   leaf_i = SHA-256(0x00 || "verity.trace.leaf.v1" || jobId || resultNode || u32 i || v_i)
 *   node(lo, hi) = leaf_lo                                   when hi - lo == 1
 *                = SHA-256(0x01 || node(lo, mid) || node(mid, hi)),  mid = lo + 2^floor(log2(hi - lo - 1))
 *   root = node(0, N)
 * </pre>
 *
 * The split puts the largest power of two below the range size on the left, which gives the same root as
 * {@link Merkle#root} over the leaves. Binding the leaves to the job and the node means a node that copies
 * another node's root, even for the same model and input, commits to a tree that is wrong for itself.
 * A dispute bisects this tree ({@code docs/PROTOCOL.md}); the paths here let a party prove one leaf inside
 * any range whose node value is agreed.
 */
public final class TraceTree {
    private static final byte[] DOMAIN = Bytes.utf8("verity.trace.leaf.v1");

    private final Hash[] leaves;

    /** The tree of {@code values} for the result of {@code job} posted by {@code resultNode}. */
    public TraceTree(Hash job, PublicKey resultNode, List<Hash> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a trace has at least one value");
        }
        leaves = new Hash[values.size()];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = leaf(job, resultNode, i, values.get(i));
        }
    }

    /** The leaf hash of trace value {@code value} at {@code index}. */
    public static Hash leaf(Hash job, PublicKey resultNode, long index, Hash value) {
        Encoder e = new Encoder(DOMAIN.length + 4 + 32 + 32 + 4 + 32);
        e.fixed(DOMAIN).hash(job).publicKey(resultNode).u32(index).hash(value);
        return Merkle.leaf(e.toByteArray());
    }

    public int size() {
        return leaves.length;
    }

    public Hash root() {
        return node(0, leaves.length);
    }

    /** The node value of the leaf range {@code [lo, hi)} (a subtree of this tree's split rule). */
    public Hash node(int lo, int hi) {
        checkRange(lo, hi, leaves.length);
        if (hi - lo == 1) {
            return leaves[lo];
        }
        int mid = split(lo, hi);
        return Merkle.inner(node(lo, mid), node(mid, hi));
    }

    /** Where the range {@code [lo, hi)}, of at least two leaves, splits into its two children. */
    public static int split(long lo, long hi) {
        long size = hi - lo;
        if (size < 2) {
            throw new IllegalArgumentException("a range of " + size + " leaves has no children");
        }
        return (int) (lo + Long.highestOneBit(size - 1));
    }

    /** The number of splits between the range {@code [0, size)} and its deepest leaf: ceil(log2(size)). */
    public static int depth(long size) {
        return size <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(size - 1);
    }

    /** The siblings from the range {@code [lo, hi)} down to leaf {@code index}, top-down. */
    public List<Hash> path(int lo, int hi, int index) {
        checkRange(lo, hi, leaves.length);
        if (index < lo || index >= hi) {
            throw new IllegalArgumentException("leaf " + index + " is outside [" + lo + ", " + hi + ")");
        }
        List<Hash> out = new ArrayList<>();
        while (hi - lo > 1) {
            int mid = split(lo, hi);
            if (index < mid) {
                out.add(node(mid, hi));
                hi = mid;
            } else {
                out.add(node(lo, mid));
                lo = mid;
            }
        }
        return out;
    }

    /**
     * The node value of range {@code [lo, hi)} implied by leaf {@code leafHash} at {@code index} and its
     * top-down siblings; null when the path has the wrong length for that leaf.
     */
    public static Hash nodeFromPath(long lo, long hi, long index, Hash leafHash, List<Hash> siblings) {
        if (lo < 0 || hi <= lo || index < lo || index >= hi) {
            return null;
        }
        List<long[]> ranges = new ArrayList<>();
        long a = lo;
        long b = hi;
        while (b - a > 1) {
            ranges.add(new long[] {a, b});
            long mid = split(a, b);
            if (index < mid) {
                b = mid;
            } else {
                a = mid;
            }
        }
        if (ranges.size() != siblings.size()) {
            return null;
        }
        Hash value = leafHash;
        for (int level = ranges.size() - 1; level >= 0; level--) {
            long mid = split(ranges.get(level)[0], ranges.get(level)[1]);
            Hash sibling = siblings.get(level);
            value = index < mid ? Merkle.inner(value, sibling) : Merkle.inner(sibling, value);
        }
        return value;
    }

    private static void checkRange(int lo, int hi, int size) {
        if (lo < 0 || hi > size || hi <= lo) {
            throw new IllegalArgumentException("range [" + lo + ", " + hi + ") is not within a trace of " + size + " values");
        }
    }
}
