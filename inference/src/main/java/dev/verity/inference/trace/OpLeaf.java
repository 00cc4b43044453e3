package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Leaf {@code 1 + opIndex} of a {@link ProgramCommitment}: everything needed to re-run any step of one op
 * from proven tensors and to tell which tensors the state after it holds, without the rest of the program.
 * Which tensors a state holds depends on the program only, never on values, so it is committed here; that
 * binds the names of the tensors a witness gives only by their content hashes.
 *
 * <p>A constant the op reads, and the weights of a QLinear or QConv2d, are held in the leaf when their canonical
 * bytes are at most {@link #ROWS_THRESHOLD_BYTES}; a larger one is committed by its spec, its row count and the root
 * of a Merkle tree over its rows along dimension 0 ({@link RowCommitment}), and a step's witness carries only the
 * rows that step reads ({@link RowReads}), so a witness stays small however large the model's tables are.
 *
 * <pre>
 *   string "verity.inference.trace.op.v2"
 *   u32 opIndex, u32 firstStep, u32 sliceCount, u32 sliceElements
 *   u8 weights                           0: the op's weights, if it has any, are in its encoding below;
 *                                        1: they are committed by rows: then rowCommitted, for the INT8 tensor of the
 *                                           weights named after the op's output, quantization (0, ONE), shape
 *                                           [outFeatures, inFeatures] (QLinear) or [Cout, Cin/groups, kH, kW] (QConv2d)
 *   op                                   ProgramCodec's op encoding; under weights 1 its weights field is empty (u32 0)
 *   u32 n, n x tensorSpec                inputs: the non-constant tensors the op reads, distinct, by name
 *   tensorSpec                           output
 *   u32 n, n x constant                  constants the op reads, distinct, by name:
 *     constant     = tensorSpec, u8 form, then form 0 (inline): bytes canonicalValue
 *                                              form 1 (by rows): u32 rowCount, 32-byte rowRoot
 *     rowCommitted = tensorSpec, u32 rowCount, 32-byte rowRoot
 *   u32 n, n x string                    stateNames: the state before the op's first step, sorted
 *   u32 n, n x string                    dropFirst: names the op's first step drops (nothing reads them any
 *                                        more and they are no program output: only unread program inputs)
 *   u32 n, n x string                    dropAfter: non-output tensors whose last reader is this op, dropped
 *                                        by its last step
 *   bool                                 outputKept: the output is a program output or read by a later op
 *                                        (else its last step drops it)
 * </pre>
 *
 * A tensor is committed by rows exactly when its canonical bytes exceed {@link #ROWS_THRESHOLD_BYTES} (so each has
 * one encoding); {@code rowCount} is its dimension 0, and it may hold at most {@link #MAX_ROWS_BYTES}.
 *
 * <p>An op leaf read back from bytes does not hold what it commits by rows: its by-rows constants have no value and
 * its op is hollow (no weights), until a witness's proven rows fill them in ({@link #singleOpProgram}); so decoding
 * allocates nothing beyond the bytes it reads.
 */
public record OpLeaf(int opIndex, int firstStep, int sliceCount, int sliceElements, Op op, CommittedTensor weights,
                     List<TensorSpec> inputs, TensorSpec output, List<CommittedTensor> constants, List<String> stateNames,
                     List<String> dropFirst, List<String> dropAfter, boolean outputKept) {
    static final String TAG = "verity.inference.trace.op.v2";

    /** A constant or weights tensor of more canonical bytes than this is committed by rows. Consensus. */
    public static final int ROWS_THRESHOLD_BYTES = dev.verity.inference.engine.StepBudget.ROWS_THRESHOLD_BYTES;

    /** The most canonical bytes a tensor committed by rows may hold (the verifier rebuilds it whole). */
    public static final int MAX_ROWS_BYTES = 1 << 27;

    /** The form codes of a committed tensor in the encoding. Consensus. */
    static final int INLINE = 0;
    static final int BY_ROWS = 1;

    /**
     * A constant (or an op's weights) as an op leaf commits to it: its spec and either its value ({@code rowRoot} null:
     * inline, at most {@link #ROWS_THRESHOLD_BYTES}) or the root of its rows ({@code rowRoot} given: by rows, more than
     * that). A tensor committed by rows holds its value only where the leaf was built from the program (the prover's);
     * the weights of an op never do (they are the op's).
     */
    public record CommittedTensor(TensorSpec spec, Tensor value, Hash rowRoot) {
        public CommittedTensor {
            if (spec == null) {
                throw new IllegalArgumentException("a committed tensor needs its spec");
            }
            long bytes = byteSize(spec);
            if (value != null && (value.dtype() != spec.dtype() || !Arrays.equals(value.shape(), spec.shape()))) {
                throw new IllegalArgumentException("constant '" + spec.name() + "' is " + value + " but declared as " + spec);
            }
            if (rowRoot == null) {
                if (value == null) {
                    throw new IllegalArgumentException("inline constant '" + spec.name() + "' needs its value");
                }
                if (bytes > ROWS_THRESHOLD_BYTES) {
                    throw new IllegalArgumentException("tensor '" + spec.name() + "' of " + bytes + " bytes is over "
                            + ROWS_THRESHOLD_BYTES + ": it must be committed by rows");
                }
            } else {
                if (bytes <= ROWS_THRESHOLD_BYTES) {
                    throw new IllegalArgumentException("tensor '" + spec.name() + "' of " + bytes + " bytes is at most "
                            + ROWS_THRESHOLD_BYTES + ": it must be inline, not committed by rows");
                }
                if (bytes > MAX_ROWS_BYTES) {
                    throw new IllegalArgumentException("tensor '" + spec.name() + "' of " + bytes + " bytes is over the "
                            + MAX_ROWS_BYTES + " a tensor committed by rows may hold");
                }
            }
        }

        /** Inline when small, else by rows (the root computed from the value). */
        public static CommittedTensor of(TensorSpec spec, Tensor value) {
            if (byteSize(spec) <= ROWS_THRESHOLD_BYTES) {
                return new CommittedTensor(spec, value, null);
            }
            return new CommittedTensor(spec, value, RowCommitment.root(spec, value.canonicalBytes()));
        }

        public boolean byRows() {
            return rowRoot != null;
        }

        /** Rows along dimension 0. */
        public int rowCount() {
            return spec.dim(0);
        }

        /** Canonical bytes of one row. */
        public int rowBytes() {
            return RowCommitment.rowBytes(spec);
        }

        static long byteSize(TensorSpec spec) {
            return (long) spec.elementCount() * spec.dtype().width();
        }

        @Override
        public String toString() {
            return "CommittedTensor(" + spec.name() + ", " + (byRows() ? "by rows, root " + rowRoot : "inline") + ")";
        }
    }

    public OpLeaf {
        if (op == null || output == null || inputs == null || constants == null || stateNames == null || dropFirst == null
                || dropAfter == null) {
            throw new IllegalArgumentException("an op leaf needs every field");
        }
        if (opIndex < 0 || firstStep < 0 || sliceElements < 1) {
            throw new IllegalArgumentException("op index " + opIndex + ", first step " + firstStep + ", slice elements "
                    + sliceElements + ": out of range");
        }
        inputs = List.copyOf(inputs);
        constants = List.copyOf(constants);
        stateNames = List.copyOf(stateNames);
        dropFirst = List.copyOf(dropFirst);
        dropAfter = List.copyOf(dropAfter);
        if (!op.output().equals(output.name())) {
            throw new IllegalArgumentException("op writes '" + op.output() + "' but the output spec is '" + output.name() + "'");
        }
        if (weights == null) {
            if (hollow(op)) {
                throw new IllegalArgumentException(op.kind() + " '" + op.output() + "' holds no weights and its leaf commits none");
            }
            if (weightBytes(op) > ROWS_THRESHOLD_BYTES) {
                throw new IllegalArgumentException(op.kind() + " '" + op.output() + "' has " + weightBytes(op)
                        + " bytes of weights: they must be committed by rows");
            }
        } else if (weightBytes(op) < 0 || !weights.byRows() || weights.value() != null || !weightsFit(op, weights.spec())) {
            throw new IllegalArgumentException("the weights of " + op.kind() + " '" + op.output() + "' cannot be committed by rows"
                    + " as " + weights + " (" + weights.spec() + ")");
        }
        List<String> inputNames = inputs.stream().map(TensorSpec::name).toList();
        List<String> constantNames = constants.stream().map(c -> c.spec().name()).toList();
        Names.requireAscending(inputNames, "input names");
        Names.requireAscending(constantNames, "constant names");
        Names.requireAscending(stateNames, "state names");
        Names.requireAscending(dropFirst, "dropFirst names");
        Names.requireAscending(dropAfter, "dropAfter names");
        TreeSet<String> reads = new TreeSet<>(inputNames);
        reads.addAll(constantNames);
        if (reads.size() != inputNames.size() + constantNames.size() || !reads.equals(new TreeSet<>(op.inputs()))) {
            throw new IllegalArgumentException("inputs " + inputNames + " and constants " + constantNames
                    + " are not the tensors the op reads: " + op.inputs());
        }
        if (!stateNames.containsAll(inputNames) || stateNames.contains(output.name())) {
            throw new IllegalArgumentException("the state before the op " + stateNames + " must hold its inputs "
                    + inputNames + " and not its output '" + output.name() + "'");
        }
        if (!inputNames.containsAll(dropAfter)) {
            throw new IllegalArgumentException("dropAfter " + dropAfter + " must be inputs of the op " + inputNames);
        }
        if (!stateNames.containsAll(dropFirst) || dropFirst.stream().anyMatch(reads::contains)) {
            throw new IllegalArgumentException("dropFirst " + dropFirst + " must be unread tensors of the state " + stateNames);
        }
        int elements = output.elementCount();
        long expected = Math.max(1, (elements + (long) sliceElements - 1) / sliceElements);
        if (sliceCount != expected) {
            throw new IllegalArgumentException("an output of " + elements + " elements in slices of " + sliceElements
                    + " takes " + expected + " steps, not " + sliceCount);
        }
    }

    /** The leaf of {@code op}: its weights committed by rows when they are over the threshold, else left in the op. */
    static OpLeaf of(int opIndex, int firstStep, int sliceCount, int sliceElements, Op op, List<TensorSpec> inputs,
                     TensorSpec output, List<CommittedTensor> constants, List<String> stateNames, List<String> dropFirst,
                     List<String> dropAfter, boolean outputKept) {
        CommittedTensor weights = null;
        if (weightBytes(op) > ROWS_THRESHOLD_BYTES) {
            TensorSpec spec = weightsSpec(op);
            weights = new CommittedTensor(spec, null, RowCommitment.root(spec, weightsOf(op)));
        }
        return new OpLeaf(opIndex, firstStep, sliceCount, sliceElements, op, weights, inputs, output, constants, stateNames,
                dropFirst, dropAfter, outputKept);
    }

    /** The tensors this leaf commits by rows, in the order a witness gives their rows: constants by name, then weights. */
    public List<CommittedTensor> rowCommitted() {
        List<CommittedTensor> out = new ArrayList<>();
        for (CommittedTensor c : constants) {
            if (c.byRows()) {
                out.add(c);
            }
        }
        if (weights != null) {
            out.add(weights);
        }
        return List.copyOf(out);
    }

    /** The canonical bytes of row-committed tensor {@code k} (of {@link #rowCommitted()}), where this leaf holds them. */
    byte[] rowCommittedBytes(int k) {
        CommittedTensor c = rowCommitted().get(k);
        if (c == weights) {
            if (hollow(op)) {
                throw new IllegalStateException("this op leaf does not hold the weights of '" + op.output()
                        + "', which it commits by rows (a leaf read back from bytes never does)");
            }
            return weightsOf(op);
        }
        if (c.value() == null) {
            throw new IllegalStateException("this op leaf does not hold the value of '" + c.spec().name()
                    + "', which it commits by rows (a leaf read back from bytes never does)");
        }
        return c.value().canonicalBytes();
    }

    /** Names of the non-constant tensors the op reads, sorted. */
    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }

    /** Whether plan step {@code step} is one of this op's. */
    public boolean hasStep(int step) {
        return step >= firstStep && step - firstStep < sliceCount;
    }

    /**
     * The program of this op alone: its inputs as program inputs, its constants, its output as the program
     * output, the same slicing; its plan is this op's slices, computed by the same kernels. {@code rows} gives the
     * canonical bytes of each tensor this leaf commits by rows, in {@link #rowCommitted()} order (the verifier's: the
     * proven rows a step reads, zeros elsewhere), or null for all zeros.
     */
    public Program singleOpProgram(List<byte[]> rows) {
        List<CommittedTensor> byRows = rowCommitted();
        if (rows == null || rows.size() != byRows.size()) {
            throw new IllegalArgumentException("op " + opIndex + " commits " + byRows.size() + " tensors by rows, "
                    + (rows == null ? "none" : rows.size()) + " given");
        }
        List<TensorSpec> specs = new ArrayList<>(inputs);
        List<Constant> consts = new ArrayList<>();
        int k = 0;
        for (CommittedTensor c : constants) {
            specs.add(c.spec());
            Tensor value = c.value();
            if (c.byRows()) {
                byte[] bytes = rows.get(k++);
                value = bytes == null ? Tensor.zeros(c.spec().dtype(), c.spec().shape())
                        : Tensor.fromCanonicalBytes(c.spec().dtype(), c.spec().shape(), bytes);
            }
            consts.add(new Constant(c.spec().name(), value));
        }
        Op runnable = weights == null ? op
                : withWeights(op, rows.get(k) != null ? rows.get(k) : new byte[(int) CommittedTensor.byteSize(weights.spec())]);
        specs.add(output);
        return new Program(specs, inputNames(), List.of(output.name()), consts, List.of(runnable), sliceElements);
    }

    public byte[] encode() {
        Encoder e = new Encoder(1024);
        e.string(TAG);
        e.u32(opIndex).u32(firstStep).u32(sliceCount).u32(sliceElements);
        if (weights == null) {
            e.u8(INLINE);
        } else {
            e.u8(BY_ROWS);
            writeRowCommitted(e, weights);
        }
        ProgramCodec.writeOp(e, op, weights == null);
        e.list(inputs, ProgramCodec::writeSpec);
        ProgramCodec.writeSpec(e, output);
        e.list(constants, (enc, c) -> {
            ProgramCodec.writeSpec(enc, c.spec());
            if (c.byRows()) {
                enc.u8(BY_ROWS).u32(c.rowCount()).hash(c.rowRoot());
            } else {
                enc.u8(INLINE).bytes(c.value().canonicalBytes());
            }
        });
        e.list(stateNames, Encoder::string);
        e.list(dropFirst, Encoder::string);
        e.list(dropAfter, Encoder::string);
        e.bool(outputKept);
        return e.toByteArray();
    }

    private static void writeRowCommitted(Encoder e, CommittedTensor c) {
        ProgramCodec.writeSpec(e, c.spec());
        e.u32(c.rowCount()).hash(c.rowRoot());
    }

    /** Reads {@link #encode()}'s bytes, strictly (nothing may follow). */
    public static OpLeaf decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Names.tag(d, TAG, "op leaf");
        int opIndex = d.u31("op leaf op index");
        int firstStep = d.u31("op leaf first step");
        int sliceCount = d.u31("op leaf slice count");
        int sliceElements = d.u31("op leaf slice elements");
        int form = d.u8("op leaf weights form");
        CommittedTensor weights;
        if (form == BY_ROWS) {
            weights = readRowCommitted(d, "op weights", ProgramCodec.readSpec(d));
        } else if (form == INLINE) {
            weights = null;
        } else {
            throw new DecodingException("op leaf weights form " + form + " is neither 0 (in the op) nor 1 (by rows)");
        }
        // under weights 1 the op reads back hollow: the rows a step reads come with its witness, after the leaf is proven
        Op op = ProgramCodec.readOp(d);
        if (weights != null && !hollow(op)) {
            throw new DecodingException("op leaf: the weights of " + op.kind() + " '" + op.output()
                    + "' are committed by rows, so its weights field must be empty");
        }
        List<TensorSpec> inputs = ProgramCodec.list(d, "op leaf inputs", 22, ProgramCodec::readSpec);
        TensorSpec output = ProgramCodec.readSpec(d);
        List<CommittedTensor> constants = ProgramCodec.list(d, "op leaf constants", 23, x -> {
            TensorSpec s = ProgramCodec.readSpec(x);
            int f = x.u8("form of constant '" + s.name() + "'");
            if (f == BY_ROWS) {
                return readRowCommitted(x, "constant '" + s.name() + "'", s);
            }
            if (f != INLINE) {
                throw new DecodingException("constant '" + s.name() + "': form " + f + " is neither 0 (inline) nor 1 (by rows)");
            }
            byte[] raw = x.bytes("value of constant '" + s.name() + "'", x.remaining());
            return ProgramCodec.guard("constant '" + s.name() + "'",
                    () -> new CommittedTensor(s, Tensor.fromCanonicalBytes(s.dtype(), s.shape(), raw), null));
        });
        List<String> stateNames = names(d, "op leaf state names");
        List<String> dropFirst = names(d, "op leaf dropFirst");
        List<String> dropAfter = names(d, "op leaf dropAfter");
        boolean kept = d.bool("op leaf outputKept");
        d.end("op leaf");
        return ProgramCodec.guard("op leaf", () -> new OpLeaf(opIndex, firstStep, sliceCount, sliceElements, op, weights,
                inputs, output, constants, stateNames, dropFirst, dropAfter, kept));
    }

    private static CommittedTensor readRowCommitted(Decoder d, String what, TensorSpec s) {
        long rows = d.u32(what + " row count");
        Hash root = d.hash(what + " row root");
        CommittedTensor c = ProgramCodec.guard(what, () -> new CommittedTensor(s, null, root));
        if (rows != c.rowCount()) {
            throw new DecodingException(what + ": row count " + rows + ", but its dimension 0 is " + c.rowCount());
        }
        return c;
    }

    private static List<String> names(Decoder d, String what) {
        return ProgramCodec.list(d, what, 5, x -> ProgramCodec.name(x, what));
    }

    // ---------------------------------------------------------------------------------------------
    // the weights of QLinear and QConv2d

    /** Whether the op is a QLinear or QConv2d that holds no weights (an op leaf read back from bytes commits them by rows). */
    static boolean hollow(Op op) {
        return switch (op) {
            case QLinear q -> q.hollow();
            case QConv2d c -> c.hollow();
            default -> false;
        };
    }

    /**
     * Whether {@code spec} is the spec of the op's weights committed by rows: named after its output, INT8, quantization
     * (0, ONE), shape [outFeatures, inFeatures] or [Cout, Cin/groups, kH, kW] (Cin/groups from the op's weights, or any
     * positive count for a hollow op).
     */
    static boolean weightsFit(Op op, TensorSpec spec) {
        if (!spec.name().equals(op.output()) || spec.dtype() != DType.INT8 || !spec.quantization().equals(Quantization.NONE)) {
            return false;
        }
        return switch (op) {
            case QLinear q -> Arrays.equals(spec.shape(), new int[] {q.outFeatures(), q.inFeatures()});
            case QConv2d c -> spec.rank() == 4 && spec.dim(0) == c.outChannels() && spec.dim(1) >= 1
                    && (c.hollow() || spec.dim(1) == c.inChannelsPerGroup()) && spec.dim(2) == c.window().kernelH()
                    && spec.dim(3) == c.window().kernelW();
            default -> false;
        };
    }

    /** Bytes of the op's weights (0 for a hollow op), or -1 for an op without weights. */
    static long weightBytes(Op op) {
        return switch (op) {
            case QLinear q -> (long) q.inFeatures() * q.outFeatures();
            case QConv2d c -> (long) c.outChannels() * c.inChannelsPerGroup() * c.window().kernelH() * c.window().kernelW();
            default -> -1;
        };
    }

    /** The op's weights as a tensor committed by rows sees them: INT8, named after the op's output, one row per output channel. */
    static TensorSpec weightsSpec(Op op) {
        int[] shape = switch (op) {
            case QLinear q -> new int[] {q.outFeatures(), q.inFeatures()};
            case QConv2d c -> new int[] {c.outChannels(), c.inChannelsPerGroup(), c.window().kernelH(), c.window().kernelW()};
            default -> throw new IllegalArgumentException(op.kind() + " has no weights");
        };
        return new TensorSpec(op.output(), DType.INT8, shape, Quantization.NONE);
    }

    static byte[] weightsOf(Op op) {
        return switch (op) {
            case QLinear q -> q.weights();
            case QConv2d c -> c.weights();
            default -> throw new IllegalArgumentException(op.kind() + " has no weights");
        };
    }

    static Op withWeights(Op op, byte[] w) {
        return switch (op) {
            case QLinear q -> new QLinear(q.input(), q.output(), q.inFeatures(), q.outFeatures(), w, q.bias(), q.requant(),
                    q.min(), q.max());
            case QConv2d c -> new QConv2d(c.input(), c.output(), c.window(), c.groups(), w, c.bias(), c.requant(), c.min(),
                    c.max());
            default -> throw new IllegalArgumentException(op.kind() + " has no weights");
        };
    }

    /** Equal when the encodings are (ops hold arrays, which records compare by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof OpLeaf other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "OpLeaf(op " + opIndex + " " + op.kind() + " -> '" + output.name() + "', steps " + firstStep + ".."
                + (firstStep + sliceCount - 1) + ")";
    }
}
