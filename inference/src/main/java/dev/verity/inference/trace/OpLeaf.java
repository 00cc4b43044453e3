package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.ProgramCodec;
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
 * <pre>
 *   string "verity.inference.trace.op.v1"
 *   u32 opIndex, u32 firstStep, u32 sliceCount, u32 sliceElements
 *   op                                   ProgramCodec's op encoding
 *   u32 n, n x tensorSpec                inputs: the non-constant tensors the op reads, distinct, by name
 *   tensorSpec                           output
 *   u32 n, n x (tensorSpec, bytes)       constants the op reads, distinct, by name, with canonical values
 *   u32 n, n x string                    stateNames: the state before the op's first step, sorted
 *   u32 n, n x string                    dropFirst: names the op's first step drops (nothing reads them any
 *                                        more and they are no program output: only unread program inputs)
 *   u32 n, n x string                    dropAfter: non-output tensors whose last reader is this op, dropped
 *                                        by its last step
 *   bool                                 outputKept: the output is a program output or read by a later op
 *                                        (else its last step drops it)
 * </pre>
 */
public record OpLeaf(int opIndex, int firstStep, int sliceCount, int sliceElements, Op op, List<TensorSpec> inputs,
                     TensorSpec output, List<ConstantValue> constants, List<String> stateNames, List<String> dropFirst,
                     List<String> dropAfter, boolean outputKept) {
    static final String TAG = "verity.inference.trace.op.v1";

    /** A constant the op reads: its spec (the kernels use its zero point) and its value. */
    public record ConstantValue(TensorSpec spec, Tensor value) {
        public ConstantValue {
            if (spec == null || value == null) {
                throw new IllegalArgumentException("a constant needs its spec and value");
            }
            if (value.dtype() != spec.dtype() || !Arrays.equals(value.shape(), spec.shape())) {
                throw new IllegalArgumentException("constant '" + spec.name() + "' is " + value + " but declared as " + spec);
            }
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
     * output, the same slicing; its plan is this op's slices, computed by the same kernels.
     */
    public Program singleOpProgram() {
        List<TensorSpec> specs = new ArrayList<>(inputs);
        List<Constant> consts = new ArrayList<>();
        for (ConstantValue c : constants) {
            specs.add(c.spec());
            consts.add(new Constant(c.spec().name(), c.value()));
        }
        specs.add(output);
        return new Program(specs, inputNames(), List.of(output.name()), consts, List.of(op), sliceElements);
    }

    public byte[] encode() {
        Encoder e = new Encoder(1024);
        e.string(TAG);
        e.u32(opIndex).u32(firstStep).u32(sliceCount).u32(sliceElements);
        ProgramCodec.writeOp(e, op);
        e.list(inputs, ProgramCodec::writeSpec);
        ProgramCodec.writeSpec(e, output);
        e.list(constants, (enc, c) -> {
            ProgramCodec.writeSpec(enc, c.spec());
            enc.bytes(c.value().canonicalBytes());
        });
        e.list(stateNames, Encoder::string);
        e.list(dropFirst, Encoder::string);
        e.list(dropAfter, Encoder::string);
        e.bool(outputKept);
        return e.toByteArray();
    }

    /** Reads {@link #encode()}'s bytes, strictly (nothing may follow). */
    public static OpLeaf decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Names.tag(d, TAG, "op leaf");
        int opIndex = d.u31("op leaf op index");
        int firstStep = d.u31("op leaf first step");
        int sliceCount = d.u31("op leaf slice count");
        int sliceElements = d.u31("op leaf slice elements");
        Op op = ProgramCodec.readOp(d);
        List<TensorSpec> inputs = ProgramCodec.list(d, "op leaf inputs", 22, ProgramCodec::readSpec);
        TensorSpec output = ProgramCodec.readSpec(d);
        List<ConstantValue> constants = ProgramCodec.list(d, "op leaf constants", 26, x -> {
            TensorSpec s = ProgramCodec.readSpec(x);
            byte[] raw = x.bytes("value of constant '" + s.name() + "'", x.remaining());
            return ProgramCodec.guard("constant '" + s.name() + "'",
                    () -> new ConstantValue(s, Tensor.fromCanonicalBytes(s.dtype(), s.shape(), raw)));
        });
        List<String> stateNames = names(d, "op leaf state names");
        List<String> dropFirst = names(d, "op leaf dropFirst");
        List<String> dropAfter = names(d, "op leaf dropAfter");
        boolean kept = d.bool("op leaf outputKept");
        d.end("op leaf");
        return ProgramCodec.guard("op leaf", () -> new OpLeaf(opIndex, firstStep, sliceCount, sliceElements, op, inputs,
                output, constants, stateNames, dropFirst, dropAfter, kept));
    }

    private static List<String> names(Decoder d, String what) {
        return ProgramCodec.list(d, what, 5, x -> ProgramCodec.name(x, what));
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
