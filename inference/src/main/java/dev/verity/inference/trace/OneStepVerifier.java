package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one-step check a dispute ends in: from the value both parties agree on at trace index
 * {@code index - 1} (see {@link TraceValues}) and a {@link StepWitness}, computes the correct value at
 * {@code index}, using only the program's commitment root, never the whole program.
 *
 * <p>The result depends only on the agreed value, the index and the committed program, not on which valid
 * witness is offered: the witness's full tensors and content hashes must rebuild the agreed state hash, its
 * tensor names must be the ones the committed op leaf says that state holds, and the step runs with the
 * engine's own kernels (scalar) on the proven tensors.
 */
public final class OneStepVerifier {
    private OneStepVerifier() {}

    /**
     * The correct value at trace index {@code index} (0..stepCount+1), from the agreed value at index-1
     * (ignored for index 0) and the witness; throws StepRejectedException(message) when the witness does not
     * prove against programRoot/leafCount or the agreed value, or does not fit the index. {@code jobInput} is
     * read for index 0 only (and may be null otherwise).
     */
    public static Hash transition(Hash programRoot, int leafCount, int stepCount, int index, Hash agreedPrevious,
                                  byte[] jobInput, StepWitness witness) {
        if (programRoot == null || witness == null) {
            throw new StepRejectedException("the program root and the witness are required");
        }
        if (leafCount < 1 || stepCount < 0) {
            throw new StepRejectedException("a commitment has at least one leaf and no negative step count, got "
                    + leafCount + " leaves and " + stepCount + " steps");
        }
        if (index < 0 || index > stepCount + 1) {
            throw new StepRejectedException("trace index " + index + " outside 0.." + (stepCount + 1));
        }
        if (index > 0 && agreedPrevious == null) {
            throw new StepRejectedException("index " + index + " needs the agreed value at index " + (index - 1));
        }
        if (index == 0) {
            if (jobInput == null) {
                throw new StepRejectedException("index 0 needs the job input");
            }
            if (!(witness instanceof StepWitness.InputWitness w)) {
                throw new StepRejectedException("index 0 needs an input witness, got " + kind(witness));
            }
            return input(programRoot, leafCount, stepCount, jobInput, w);
        }
        if (index == stepCount + 1) {
            if (!(witness instanceof StepWitness.OutputWitness w)) {
                throw new StepRejectedException("index " + index + " (the output) needs an output witness, got "
                        + kind(witness));
            }
            return output(programRoot, leafCount, stepCount, agreedPrevious, w);
        }
        if (!(witness instanceof StepWitness.OpWitness w)) {
            throw new StepRejectedException("index " + index + " (step " + (index - 1) + ") needs an op witness, got "
                    + kind(witness));
        }
        return opStep(programRoot, leafCount, stepCount, index - 1, agreedPrevious, w);
    }

    /**
     * Whether the integer engine refuses {@code jobInput} at its first step: the io leaf of the witness must prove
     * against the program root; the input is then quantized exactly as trace index 0 does. Returns the engine's
     * refusal, or empty when it accepts the input (and a node must answer with a result). Throws
     * StepRejectedException when the witness does not prove.
     */
    public static java.util.Optional<String> inputRefusal(Hash programRoot, int leafCount, int stepCount, byte[] jobInput,
                                                          StepWitness.InputWitness witness) {
        if (programRoot == null || witness == null || jobInput == null) {
            throw new StepRejectedException("the program root, the job input and the input witness are required");
        }
        IoLeaf io = checkIo(programRoot, leafCount, stepCount, witness.io(), witness.ioPath());
        try {
            IoQuantization.quantizeInput(jobInput, io.input());
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Hash input(Hash root, int leafCount, int stepCount, byte[] jobInput, StepWitness.InputWitness w) {
        IoLeaf io = checkIo(root, leafCount, stepCount, w.io(), w.ioPath());
        Tensor x;
        try {
            x = IoQuantization.quantizeInput(jobInput, io.input());
        } catch (IllegalArgumentException e) {
            throw new StepRejectedException("job input: " + e.getMessage());
        }
        return Merkle.root(List.of(State.tensorLeaf(io.input().name(), x)));
    }

    private static Hash output(Hash root, int leafCount, int stepCount, Hash agreed, StepWitness.OutputWitness w) {
        IoLeaf io = checkIo(root, leafCount, stepCount, w.io(), w.ioPath());
        List<WitnessTensor> state = w.finalState();
        List<String> names = state.stream().map(WitnessTensor::name).toList();
        if (!names.equals(io.outputNames())) {
            throw new StepRejectedException("the final state holds the program outputs " + io.outputNames() + ", the witness gives "
                    + names);
        }
        TensorSpec spec = io.output();
        Tensor out = null;
        for (WitnessTensor t : state) {
            boolean wanted = t.name().equals(spec.name());
            if (t.isFull() != wanted) {
                throw new StepRejectedException("final-state tensor '" + t.name() + "' must be given "
                        + (wanted ? "in full (it is the job output)" : "as a content hash"));
            }
            if (wanted) {
                checkSpec(t.tensor(), spec, "output");
                out = t.tensor();
            }
        }
        checkRoot(state, agreed, "final state");
        return Sha256.digest(IoQuantization.dequantizeOutput(out, spec));
    }

    /**
     * The state hash after plan step {@code s} of one run of a committed program (root, leaf count, plan size), from
     * the agreed state hash before it and the op witness; throws StepRejectedException when the witness does not prove
     * against the root or the agreed hash, or does not fit the step.
     */
    public static Hash opStep(Hash root, int leafCount, int stepCount, int s, Hash agreed, StepWitness.OpWitness w) {
        if (s < 0 || s >= stepCount) {
            throw new StepRejectedException("step " + s + " outside the plan's 0.." + (stepCount - 1));
        }
        OpLeaf op = w.op();
        if (1L + op.opIndex() >= leafCount || !Merkle.verify(root, leafCount, 1 + op.opIndex(), Merkle.leaf(op.encode()), w.opPath())) {
            throw new StepRejectedException("op leaf " + op.opIndex() + " is not proven by its path against the program root");
        }
        if (!op.hasStep(s)) {
            throw new StepRejectedException("step " + s + " is not one of op " + op.opIndex() + "'s steps " + op.firstStep()
                    + ".." + (op.firstStep() + op.sliceCount() - 1));
        }
        if ((long) op.firstStep() + op.sliceCount() > stepCount) {
            throw new StepRejectedException("op " + op.opIndex() + "'s steps run past the " + stepCount + " of the trace");
        }
        int slice = s - op.firstStep();
        boolean last = slice == op.sliceCount() - 1;
        String outName = op.output().name();
        TreeSet<String> dropFirst = new TreeSet<>(op.dropFirst());
        TreeSet<String> dropAfter = new TreeSet<>(op.dropAfter());

        // the names the state before this step holds
        List<String> expected;
        if (slice == 0) {
            expected = op.stateNames();
        } else {
            TreeSet<String> n = new TreeSet<>(op.stateNames());
            n.removeAll(dropFirst);
            n.add(outName);
            expected = List.copyOf(n);
        }
        List<WitnessTensor> pre = w.preState();
        List<String> names = pre.stream().map(WitnessTensor::name).toList();
        if (!names.equals(expected)) {
            throw new StepRejectedException("before step " + s + " the state holds " + expected + ", the witness gives " + names);
        }

        // full exactly where the step reads, with the committed types and shapes
        TreeMap<String, TensorSpec> reads = new TreeMap<>();
        for (TensorSpec in : op.inputs()) {
            reads.put(in.name(), in);
        }
        if (slice > 0) {
            reads.put(outName, op.output());
        }
        TreeMap<String, Tensor> full = new TreeMap<>();
        for (WitnessTensor t : pre) {
            TensorSpec spec = reads.get(t.name());
            if (t.isFull() != (spec != null)) {
                throw new StepRejectedException("tensor '" + t.name() + "' must be given "
                        + (spec != null ? "in full (step " + s + " reads it)" : "as a content hash (step " + s + " does not read it)"));
            }
            if (spec != null) {
                checkSpec(t.tensor(), spec, "read");
                full.put(t.name(), t.tensor());
            }
        }
        List<Hash> leaves = checkRoot(pre, agreed, "state before step " + s);

        // the rows the step reads of what the leaf commits by rows: exactly those, each proven
        List<OpLeaf.CommittedTensor> committed = op.rowCommitted();
        if (w.rows().size() != committed.size()) {
            throw new StepRejectedException("the witness gives rows of " + w.rows().size() + " tensors, op leaf " + op.opIndex()
                    + " commits " + committed.size() + " by rows");
        }
        List<byte[]> rebuilt = new ArrayList<>(committed.size());
        if (!committed.isEmpty()) {
            // the op alone, what it commits by rows as zeros: its shapes are checked before rows are named by them
            List<byte[]> zeros = new ArrayList<>(committed.size());
            for (int k = 0; k < committed.size(); k++) {
                zeros.add(null);
            }
            try {
                op.singleOpProgram(zeros);
            } catch (IllegalArgumentException e) {
                throw new StepRejectedException("op " + op.opIndex() + " cannot run: " + e.getMessage());
            }
            TreeMap<String, Tensor> known = new TreeMap<>(full);
            for (OpLeaf.CommittedTensor c : op.constants()) {
                if (!c.byRows()) {
                    known.put(c.spec().name(), c.value());
                }
            }
            List<int[]> need = RowReads.rows(op, slice, known);
            for (int k = 0; k < committed.size(); k++) {
                rebuilt.add(checkRows(committed.get(k), need.get(k), w.rows().get(k), s));
            }
        }

        // run the slice with the engine's kernels
        Tensor produced;
        try {
            Program single = op.singleOpProgram(rebuilt);
            IntegerEngine engine = new IntegerEngine(single, EngineOptions.SCALAR);
            if (engine.plan().size() != op.sliceCount()) {
                throw new StepRejectedException("op " + op.opIndex() + " plans " + engine.plan().size() + " steps alone, its leaf says "
                        + op.sliceCount());
            }
            produced = engine.stepOutput(slice, State.of(full));
        } catch (IllegalArgumentException e) {
            throw new StepRejectedException("op " + op.opIndex() + " cannot run: " + e.getMessage());
        }
        Hash outLeaf = State.tensorLeaf(outName, produced);
        boolean keepOut = !last || op.outputKept();

        // the state after it, by the engine's liveness rule
        List<Hash> after = new ArrayList<>(pre.size() + 1);
        boolean placed = slice > 0;
        for (int k = 0; k < pre.size(); k++) {
            String name = pre.get(k).name();
            if (!placed && name.compareTo(outName) > 0) {
                if (keepOut) {
                    after.add(outLeaf);
                }
                placed = true;
            }
            if (name.equals(outName)) {
                if (keepOut) {
                    after.add(outLeaf);
                }
            } else if (dropFirst.contains(name) || (last && dropAfter.contains(name))) {
                continue;
            } else {
                after.add(leaves.get(k));
            }
        }
        if (!placed && keepOut) {
            after.add(outLeaf);
        }
        return Merkle.root(after);
    }

    // ---------------------------------------------------------------------------------------------

    private static IoLeaf checkIo(Hash root, int leafCount, int stepCount, IoLeaf io, List<Hash> path) {
        checkFirstLeaf(root, leafCount, stepCount, io.encode(), path, io.stepCount(), io.opCount(), "io leaf");
        return io;
    }

    /**
     * Checks that leaf 0 (its encoding {@code leaf}, describing {@code leafSteps} steps and {@code leafOps} ops) is proven
     * by {@code path} against the root and describes the committed program's counts.
     */
    static void checkFirstLeaf(Hash root, int leafCount, int stepCount, byte[] leaf, List<Hash> path, int leafSteps,
                               int leafOps, String what) {
        if (!Merkle.verify(root, leafCount, 0, Merkle.leaf(leaf), path)) {
            throw new StepRejectedException("the " + what + " is not proven by its path against the program root");
        }
        if (leafSteps != stepCount || 1L + leafOps != leafCount) {
            throw new StepRejectedException("the " + what + " describes " + leafSteps + " steps and " + leafOps
                    + " ops, the dispute " + stepCount + " steps and " + leafCount + " leaves");
        }
    }

    /** The state hash of a witness's tensors. */
    static Hash stateHash(List<WitnessTensor> tensors) {
        List<Hash> leaves = new ArrayList<>(tensors.size());
        for (WitnessTensor t : tensors) {
            leaves.add(t.leaf());
        }
        return Merkle.root(leaves);
    }

    /** The witness's leaves, after checking they rebuild the agreed hash. */
    private static List<Hash> checkRoot(List<WitnessTensor> tensors, Hash agreed, String what) {
        List<Hash> leaves = new ArrayList<>(tensors.size());
        for (WitnessTensor t : tensors) {
            leaves.add(t.leaf());
        }
        if (!Merkle.root(leaves).equals(agreed)) {
            throw new StepRejectedException("the witness's " + what + " does not hash to the agreed value " + agreed);
        }
        return leaves;
    }

    /**
     * The canonical bytes of a tensor committed by rows as step {@code s} sees it: the given rows, which must be exactly
     * {@code need} (ascending) and proven against the row root, and zeros elsewhere.
     */
    private static byte[] checkRows(OpLeaf.CommittedTensor c, int[] need, WitnessRows given, int s) {
        String what = "tensor '" + c.spec().name() + "' (committed by rows)";
        int rowCount = c.rowCount();
        int width = c.rowBytes();
        List<WitnessRows.Row> rows = given.rows();
        boolean[] needed = new boolean[rowCount];
        for (int r : need) {
            needed[r] = true;
        }
        int previous = -1;
        for (WitnessRows.Row row : rows) {
            int r = row.index();
            if (r >= rowCount) {
                throw new StepRejectedException(what + ": row " + r + " is outside its " + rowCount + " rows");
            }
            if (r == previous) {
                throw new StepRejectedException(what + ": row " + r + " is given twice");
            }
            if (r < previous) {
                throw new StepRejectedException(what + ": rows must be given in ascending order, row " + r + " comes after row "
                        + previous);
            }
            if (!needed[r]) {
                throw new StepRejectedException(what + ": row " + r + " is given, but step " + s + " does not read it");
            }
            if (row.bytes().length != width) {
                throw new StepRejectedException(what + ": row " + r + " has " + row.bytes().length + " bytes, a row has " + width);
            }
            previous = r;
        }
        if (rows.size() != need.length) {
            int k = 0;
            while (k < rows.size() && rows.get(k).index() == need[k]) {
                k++;
            }
            throw new StepRejectedException(what + ": row " + need[k] + ", which step " + s + " reads, is missing");
        }
        byte[] full = new byte[Math.multiplyExact(rowCount, width)];
        if (need.length == 0) {
            if (!given.proof().isEmpty()) {
                throw new StepRejectedException(what + ": step " + s + " reads none of its rows, yet the witness gives a proof of "
                        + given.proof().size() + " hashes");
            }
            return full;
        }
        List<Hash> rowLeaves = new ArrayList<>(rows.size());
        java.security.MessageDigest md = Sha256.newDigest();
        byte[] prefix = RowCommitment.prefix(c.spec());
        for (WitnessRows.Row row : rows) {
            byte[] bytes = row.bytes();
            rowLeaves.add(RowCommitment.rowLeaf(md, prefix, row.index(), bytes, 0, width));
            System.arraycopy(bytes, 0, full, row.index() * width, width);
        }
        if (!RowCommitment.verify(c.rowRoot(), rowCount, need, rowLeaves, given.proof())) {
            throw new StepRejectedException(what + ": rows " + summary(need) + " are not proven by the witness's proof of "
                    + given.proof().size() + " hashes against the row root " + c.rowRoot());
        }
        return full;
    }

    private static String summary(int[] rows) {
        return rows.length <= 8 ? Arrays.toString(rows) : "[" + rows[0] + ", " + rows[1] + ", ..., " + rows[rows.length - 1]
                + "] (" + rows.length + ")";
    }

    private static void checkSpec(Tensor t, TensorSpec spec, String what) {
        if (t.dtype() != spec.dtype() || !Arrays.equals(t.shape(), spec.shape())) {
            throw new StepRejectedException(what + " tensor '" + spec.name() + "' is " + t + ", expected " + spec.dtype() + " "
                    + Arrays.toString(spec.shape()));
        }
    }

    private static String kind(StepWitness w) {
        return switch (w) {
            case StepWitness.InputWitness i -> "an input witness";
            case StepWitness.OpWitness o -> "an op witness";
            case StepWitness.OutputWitness o -> "an output witness";
        };
    }
}
