package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CommittedProgram} for programs of several inputs (a decoder's step program), whose leaf 0 is a stand-in
 * {@link IoLeaf} of the first input and output: op steps never read leaf 0, so they prove as under a real commitment.
 */
final class TestCommitment implements CommittedProgram {
    final IntegerEngine engine;
    private final List<OpLeaf> ops;
    private final List<Hash> leaves;
    private final Hash root;
    private final int[] opOfStep;

    TestCommitment(Program program) {
        engine = new IntegerEngine(program, EngineOptions.SCALAR);
        ops = OpLeaves.of(program, engine);
        opOfStep = OpLeaves.opOfStep(ops, engine.plan().size());
        IoLeaf standIn = new IoLeaf(program.tensor(program.inputs().get(0)), program.tensor(program.outputs().get(0)),
                program.outputs().stream().sorted().toList(), engine.plan().size(), ops.size());
        List<Hash> l = new ArrayList<>();
        l.add(Merkle.leaf(standIn.encode()));
        for (OpLeaf o : ops) {
            l.add(Merkle.leaf(o.encode()));
        }
        leaves = List.copyOf(l);
        root = Merkle.root(leaves);
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
        return engine.plan().size();
    }

    @Override
    public OpLeaf opLeaf(int opIndex) {
        return ops.get(opIndex);
    }

    @Override
    public List<Hash> opPath(int opIndex) {
        return Merkle.path(leaves, 1 + opIndex);
    }

    @Override
    public int opOfStep(int step) {
        return opOfStep[step];
    }
}
