package dev.verity.bench.lm;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Program;
import dev.verity.inference.trace.CommittedProgram;
import dev.verity.inference.trace.IoLeaf;
import dev.verity.inference.trace.OpLeaf;
import dev.verity.inference.trace.OpLeaves;
import java.util.ArrayList;
import java.util.List;

/**
 * The op leaves of a program with several inputs (a decoder's step program), built as
 * {@link dev.verity.inference.trace.ProgramCommitment} builds them, under a Merkle root whose leaf 0 is a stand-in.
 *
 * <p>{@code ProgramCommitment} takes programs of one input only: its leaf 0 ({@link IoLeaf}) says how one job input
 * becomes the initial state, and a step program's initial state is the token, its position and the caches the
 * previous token left. No io leaf for that exists yet, so leaf 0 here is an {@link IoLeaf} of the token input and the
 * logits output, for measuring only. {@link dev.verity.inference.trace.OneStepVerifier}'s op steps (trace indices
 * {@code 1..n}) read only their op leaf and its path, so their checks and costs are those a real commitment would
 * give; indices {@code 0} and {@code n + 1} cannot be checked for this program.
 */
public final class StepProgramCommitment implements CommittedProgram {
    private final List<OpLeaf> ops;
    private final int[] opOfStep;
    private final List<Hash> leaves;
    private final Hash root;
    private final int stepCount;

    public StepProgramCommitment(Program program, String tokenInput, String logitsOutput) {
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        List<Step> plan = engine.plan();
        stepCount = plan.size();
        ops = OpLeaves.of(program, engine);
        opOfStep = plan.stream().mapToInt(Step::opIndex).toArray();
        IoLeaf standIn = new IoLeaf(program.tensor(tokenInput), program.tensor(logitsOutput),
                program.outputs().stream().sorted().toList(), stepCount, ops.size());
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
        return stepCount;
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
