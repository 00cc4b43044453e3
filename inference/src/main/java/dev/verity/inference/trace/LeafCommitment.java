package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree every {@link CommittedProgram} is: leaf 0 (how a trace starts and ends, encoded by the subclass), then
 * leaf {@code 1 + i} for op {@code i}'s {@link OpLeaf}.
 */
public abstract class LeafCommitment implements CommittedProgram {
    private final List<OpLeaf> ops;
    private final List<Hash> leaves;
    private final Hash root;
    private final int[] opOfStep;

    /** The tree over {@code firstLeaf} (leaf 0's encoding) and {@code ops}, for a plan of {@code stepCount} steps. */
    protected LeafCommitment(byte[] firstLeaf, List<OpLeaf> ops, int stepCount) {
        this.ops = List.copyOf(ops);
        this.opOfStep = OpLeaves.opOfStep(this.ops, stepCount);
        List<Hash> l = new ArrayList<>(1 + ops.size());
        l.add(Merkle.leaf(firstLeaf));
        for (OpLeaf o : ops) {
            l.add(Merkle.leaf(o.encode()));
        }
        leaves = List.copyOf(l);
        root = Merkle.root(leaves);
    }

    /** The Merkle root over all leaves. */
    @Override
    public final Hash root() {
        return root;
    }

    /** 1 + the number of ops. */
    @Override
    public final int leafCount() {
        return leaves.size();
    }

    @Override
    public final int stepCount() {
        return opOfStep.length;
    }

    @Override
    public final OpLeaf opLeaf(int opIndex) {
        checkOp(opIndex);
        return ops.get(opIndex);
    }

    @Override
    public final List<Hash> opPath(int opIndex) {
        checkOp(opIndex);
        return Merkle.path(leaves, 1 + opIndex);
    }

    @Override
    public final int opOfStep(int step) {
        if (step < 0 || step >= opOfStep.length) {
            throw new IllegalArgumentException("no step " + step + " in a plan of " + opOfStep.length);
        }
        return opOfStep[step];
    }

    /** The Merkle path of leaf 0. */
    protected final List<Hash> firstLeafPath() {
        return Merkle.path(leaves, 0);
    }

    private void checkOp(int opIndex) {
        if (opIndex < 0 || opIndex >= ops.size()) {
            throw new IllegalArgumentException("no op " + opIndex + " in a program of " + ops.size());
        }
    }
}
