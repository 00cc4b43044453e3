package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
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

    /**
     * The witness of plan step {@code step} of a committed program, from the state {@code before} it: the op leaf with its
     * path, the state's tensors (full where the step reads them) and, of each tensor the leaf commits by rows, the rows
     * the step reads ({@link RowReads}) with their multi-proof.
     */
    public static StepWitness.OpWitness opWitness(CommittedProgram commitment, Step step, State before) {
        OpLeaf op = commitment.opLeaf(step.opIndex());
        TreeSet<String> reads = new TreeSet<>(op.inputNames());
        if (!step.firstSlice()) {
            reads.add(step.output());
        }
        List<WitnessRows> rows = new ArrayList<>();
        List<OpLeaf.CommittedTensor> committed = op.rowCommitted();
        if (!committed.isEmpty()) {
            TreeMap<String, Tensor> full = new TreeMap<>();
            for (String name : op.inputNames()) {
                full.put(name, before.tensor(name));
            }
            for (OpLeaf.CommittedTensor c : op.constants()) {
                if (!c.byRows()) {
                    full.put(c.spec().name(), c.value());
                }
            }
            List<int[]> need = RowReads.rows(op, step.slice(), full);
            for (int k = 0; k < committed.size(); k++) {
                rows.add(rows(committed.get(k), op.rowCommittedBytes(k), need.get(k)));
            }
        }
        return new StepWitness.OpWitness(op, commitment.opPath(step.opIndex()), tensors(before, reads), rows);
    }

    /** Rows {@code indices} of a tensor committed by rows, from its canonical bytes, with their multi-proof. */
    static WitnessRows rows(OpLeaf.CommittedTensor c, byte[] canonical, int[] indices) {
        List<Hash> leaves = RowCommitment.leaves(c.spec(), canonical);
        if (!Merkle.root(leaves).equals(c.rowRoot())) {
            throw new IllegalStateException("the bytes at hand of '" + c.spec().name() + "' are not those its op leaf commits");
        }
        int width = c.rowBytes();
        List<WitnessRows.Row> rows = new ArrayList<>(indices.length);
        for (int r : indices) {
            rows.add(new WitnessRows.Row(r, Arrays.copyOfRange(canonical, r * width, (r + 1) * width)));
        }
        return new WitnessRows(rows, indices.length == 0 ? List.of() : RowCommitment.prove(leaves, indices));
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
