package dev.verity.inference.trace;

import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Builds the {@link StepWitness} that proves one transition of a job's trace to {@link OneStepVerifier}. */
public final class OneStepProver {
    private OneStepProver() {}

    /** The witness for trace index {@code index} ({@code 0..n+1}); re-runs the job up to the state before it. */
    public static StepWitness witness(IntegerEngine engine, ProgramCommitment commitment, byte[] jobInput, int index) {
        int n = engine.plan().size();
        if (commitment.stepCount() != n || commitment.leafCount() != 1 + engine.program().ops().size()) {
            throw new IllegalArgumentException("the commitment (" + commitment.stepCount() + " steps, " + commitment.leafCount()
                    + " leaves) is not of the engine's program (" + n + " steps, " + engine.program().ops().size() + " ops)");
        }
        if (index < 0 || index > n + 1) {
            throw new IllegalArgumentException("trace index " + index + " outside 0.." + (n + 1));
        }
        if (index == 0) {
            return new StepWitness.InputWitness(commitment.ioLeaf(), commitment.ioPath());
        }
        if (index == n + 1) {
            State last = TraceValues.stateAt(engine, jobInput, n);
            String out = commitment.ioLeaf().output().name();
            return new StepWitness.OutputWitness(commitment.ioLeaf(), commitment.ioPath(), tensors(last, new TreeSet<>(List.of(out))));
        }
        int s = index - 1;
        return opWitness(commitment, engine.plan().get(s), TraceValues.stateAt(engine, jobInput, s));
    }

    /** The witness of plan step {@code step} of a committed program, from the state {@code before} it. */
    public static StepWitness.OpWitness opWitness(CommittedProgram commitment, Step step, State before) {
        OpLeaf op = commitment.opLeaf(step.opIndex());
        TreeSet<String> reads = new TreeSet<>(op.inputNames());
        if (!step.firstSlice()) {
            reads.add(step.output());
        }
        return new StepWitness.OpWitness(op, commitment.opPath(step.opIndex()), tensors(before, reads));
    }

    /** The state's tensors in name order: full for {@code full}, content hashes for the rest. */
    static List<WitnessTensor> tensors(State state, TreeSet<String> full) {
        List<WitnessTensor> out = new ArrayList<>();
        for (String name : state.names()) {
            out.add(full.contains(name) ? WitnessTensor.full(name, state.tensor(name)) : WitnessTensor.hashed(name, state.content(name)));
        }
        return out;
    }
}
