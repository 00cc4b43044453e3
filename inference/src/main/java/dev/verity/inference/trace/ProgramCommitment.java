package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle commitment to a program, shaped for proving single steps: leaf 0 is the {@link IoLeaf}, leaf
 * {@code 1 + i} the {@link OpLeaf} of op {@code i} (each {@code Merkle.leaf} of the encoding). A dispute
 * about step {@code s} needs only the one op leaf covering it and its path, not the whole program.
 */
public final class ProgramCommitment implements CommittedProgram {
    private final IoLeaf io;
    private final List<OpLeaf> ops;
    private final List<Hash> leaves;
    private final Hash root;
    private final int[] opOfStep;

    /** Commits to {@code program}; it must have exactly one input (the job input). */
    public ProgramCommitment(Program program) {
        if (program.inputs().size() != 1) {
            throw new IllegalArgumentException("a program with " + program.inputs().size()
                    + " inputs cannot run a job, which feeds exactly one");
        }
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        List<Step> plan = engine.plan();
        TensorSpec output = program.tensor(program.outputs().get(0));
        io = new IoLeaf(program.tensor(program.inputs().get(0)), output, program.outputs().stream().sorted().toList(),
                plan.size(), program.ops().size());
        ops = OpLeaves.of(program, engine);
        opOfStep = OpLeaves.opOfStep(ops, plan.size());
        List<Hash> l = new ArrayList<>(1 + ops.size());
        l.add(Merkle.leaf(io.encode()));
        for (OpLeaf o : ops) {
            l.add(Merkle.leaf(o.encode()));
        }
        leaves = List.copyOf(l);
        root = Merkle.root(leaves);
    }

    /** The Merkle root over all leaves. */
    @Override
    public Hash root() {
        return root;
    }

    /** 1 + the number of ops. */
    @Override
    public int leafCount() {
        return leaves.size();
    }

    /** The plan size {@code n}: a trace has values at indices {@code 0..n+1}. */
    @Override
    public int stepCount() {
        return io.stepCount();
    }

    public IoLeaf ioLeaf() {
        return io;
    }

    public List<Hash> ioPath() {
        return Merkle.path(leaves, 0);
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

    /** The op whose slice plan step {@code step} computes. */
    @Override
    public int opOfStep(int step) {
        if (step < 0 || step >= opOfStep.length) {
            throw new IllegalArgumentException("no step " + step + " in a plan of " + opOfStep.length);
        }
        return opOfStep[step];
    }

    private void checkOp(int opIndex) {
        if (opIndex < 0 || opIndex >= ops.size()) {
            throw new IllegalArgumentException("no op " + opIndex + " in a program of " + ops.size());
        }
    }
}
