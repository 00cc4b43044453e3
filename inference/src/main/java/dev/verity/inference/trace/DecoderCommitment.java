package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.DecoderStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The commitment to a decoder's step program for proving single steps of a generation ({@link GenerationTrace}): leaf 0
 * is the {@link DecoderLeaf}, leaf {@code 1 + i} the {@link OpLeaf} of op {@code i}, as {@link ProgramCommitment} builds
 * them. The chain registers its root, leaf count and step count like any program's.
 */
public final class DecoderCommitment implements CommittedProgram {
    private final DecoderStep step;
    private final DecoderLeaf decoder;
    private final List<OpLeaf> ops;
    private final List<Hash> leaves;
    private final Hash root;
    private final int[] opOfStep;

    /** Commits to {@code step} with the model's end token ({@code GenerationParameters.NO_END_TOKEN} for none). */
    public DecoderCommitment(DecoderStep step, int endToken) {
        this.step = step;
        IntegerEngine engine = new IntegerEngine(step.program(), EngineOptions.SCALAR);
        int n = engine.plan().size();
        decoder = DecoderLeaf.of(step, endToken, n);
        ops = OpLeaves.of(step.program(), engine);
        opOfStep = OpLeaves.opOfStep(ops, n);
        List<Hash> l = new ArrayList<>(1 + ops.size());
        l.add(Merkle.leaf(decoder.encode()));
        for (OpLeaf o : ops) {
            l.add(Merkle.leaf(o.encode()));
        }
        leaves = List.copyOf(l);
        root = Merkle.root(leaves);
    }

    public DecoderStep step() {
        return step;
    }

    public DecoderLeaf decoderLeaf() {
        return decoder;
    }

    public List<Hash> decoderPath() {
        return Merkle.path(leaves, 0);
    }

    @Override
    public Hash root() {
        return root;
    }

    @Override
    public int leafCount() {
        return leaves.size();
    }

    @Override
    public int stepCount() {
        return decoder.stepCount();
    }

    @Override
    public OpLeaf opLeaf(int opIndex) {
        checkOp(opIndex);
        return ops.get(opIndex);
    }

    @Override
    public List<Hash> opPath(int opIndex) {
        checkOp(opIndex);
        return Merkle.path(leaves, 1 + opIndex);
    }

    @Override
    public int opOfStep(int s) {
        if (s < 0 || s >= opOfStep.length) {
            throw new IllegalArgumentException("no step " + s + " in a plan of " + opOfStep.length);
        }
        return opOfStep[s];
    }

    private void checkOp(int opIndex) {
        if (opIndex < 0 || opIndex >= ops.size()) {
            throw new IllegalArgumentException("no op " + opIndex + " in a program of " + ops.size());
        }
    }
}
