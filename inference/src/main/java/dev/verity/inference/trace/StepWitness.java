package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.inference.program.ProgramCodec;
import java.util.List;

/**
 * What a party hands the chain to prove one transition of a trace ({@link OneStepVerifier#transition}): the
 * committed program leaf the transition needs with its Merkle path, the tensors of the state before it
 * (full where the step reads them, content hashes elsewhere) and, for an op step, the rows the step reads of each
 * tensor its op leaf commits by rows, proven against the leaf's row roots.
 *
 * <h2>Encoding</h2>
 *
 * Core {@code Encoder} conventions; {@link #encode()} is canonical and {@link #decode} strict:
 *
 * <pre>
 *   u8 tag                1 = input, 2 = op, 3 = output ({@link #INPUT_TAG}, {@link #OP_TAG}, {@link #OUTPUT_TAG})
 *   input:  bytes ioLeaf, path
 *   op:     bytes opLeaf, path, tensors, rows
 *   output: bytes ioLeaf, path, tensors
 *   path    = u32 n (at most {@value #MAX_PATH}), n x 32-byte hash
 *   tensors = u32 n, n x (string name, u8 kind, then kind 0 (hashed): 32-byte content hash;
 *                         kind 1 (full): u8 dtype code, u32 rank, u32 per dimension, raw elements as in the leaf)
 *   rows    = u32 n, n x (u32 k, k x (u32 row, rowBytes raw bytes), u32 m, m x 32-byte hash)
 * </pre>
 *
 * {@code rows} has one entry per tensor the op leaf commits by rows ({@link OpLeaf#rowCommitted()}: its constants by
 * name, then its op's weights), each the rows given (an index and the row's canonical bytes, {@code rowBytes} fixed by
 * the tensor's spec) and their multi-proof ({@link RowCommitment}). Decoding requires as many entries as the leaf
 * commits; the verifier requires in each exactly the rows the step reads, ascending ({@link RowReads}), and the proof.
 */
public sealed interface StepWitness permits StepWitness.InputWitness, StepWitness.OpWitness, StepWitness.OutputWitness {
    /** Longest Merkle path: enough for 2^32 leaves. */
    int MAX_PATH = 32;

    /** The tags that open a witness; consensus (witnesses travel in {@code ProveStep} and failure evidence). */
    int INPUT_TAG = 1;
    int OP_TAG = 2;
    int OUTPUT_TAG = 3;

    byte[] encode();

    /** Transition into index 0: the job input into the initial state. */
    record InputWitness(IoLeaf io, List<Hash> ioPath) implements StepWitness {
        public InputWitness {
            if (io == null) {
                throw new IllegalArgumentException("an input witness needs the io leaf");
            }
            ioPath = WitnessCodec.path(ioPath);
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(512).u8(INPUT_TAG);
            e.bytes(io.encode());
            WitnessCodec.writePath(e, ioPath);
            return e.toByteArray();
        }
    }

    /**
     * Transition into index {@code s + 1} ({@code 1..n}) by plan step {@code s} of the op; {@code rows} holds, for each
     * tensor the op leaf commits by rows, the rows the step reads. Built by {@link OneStepProver#opWitness}.
     */
    record OpWitness(OpLeaf op, List<Hash> opPath, List<WitnessTensor> preState, List<WitnessRows> rows)
            implements StepWitness {
        public OpWitness {
            if (op == null || rows == null || rows.stream().anyMatch(r -> r == null)) {
                throw new IllegalArgumentException("an op witness needs the op leaf and the rows of what it commits by rows");
            }
            opPath = WitnessCodec.path(opPath);
            preState = WitnessCodec.tensors(preState);
            rows = List.copyOf(rows);
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(4096).u8(OP_TAG);
            e.bytes(op.encode());
            WitnessCodec.writePath(e, opPath);
            WitnessCodec.writeTensors(e, preState);
            WitnessCodec.writeRows(e, rows);
            return e.toByteArray();
        }
    }

    /** Transition {@code n -> n + 1}: the final state into the job output's hash. */
    record OutputWitness(IoLeaf io, List<Hash> ioPath, List<WitnessTensor> finalState) implements StepWitness {
        public OutputWitness {
            if (io == null) {
                throw new IllegalArgumentException("an output witness needs the io leaf");
            }
            ioPath = WitnessCodec.path(ioPath);
            finalState = WitnessCodec.tensors(finalState);
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(1024).u8(OUTPUT_TAG);
            e.bytes(io.encode());
            WitnessCodec.writePath(e, ioPath);
            WitnessCodec.writeTensors(e, finalState);
            return e.toByteArray();
        }
    }

    /** Reads {@link #encode()}'s bytes; anything malformed, or longer than {@code maxBytes}, is a {@link DecodingException}. */
    static StepWitness decode(byte[] bytes, int maxBytes) {
        if (bytes == null) {
            throw new DecodingException("no witness bytes");
        }
        if (bytes.length > maxBytes) {
            throw new DecodingException("witness is " + bytes.length + " bytes, more than the limit of " + maxBytes);
        }
        Decoder d = new Decoder(bytes);
        int tag = d.u8("witness tag");
        StepWitness w = switch (tag) {
            case INPUT_TAG -> {
                IoLeaf io = IoLeaf.decode(d.bytes("io leaf", d.remaining()));
                List<Hash> path = WitnessCodec.readPath(d, "io path");
                yield ProgramCodec.guard("input witness", () -> new InputWitness(io, path));
            }
            case OP_TAG -> {
                OpLeaf op = OpLeaf.decode(d.bytes("op leaf", d.remaining()));
                List<Hash> path = WitnessCodec.readPath(d, "op path");
                List<WitnessTensor> pre = WitnessCodec.readTensors(d, "pre-state");
                List<WitnessRows> rows = WitnessCodec.readRows(d, op);
                yield ProgramCodec.guard("op witness", () -> new OpWitness(op, path, pre, rows));
            }
            case OUTPUT_TAG -> {
                IoLeaf io = IoLeaf.decode(d.bytes("io leaf", d.remaining()));
                List<Hash> path = WitnessCodec.readPath(d, "io path");
                List<WitnessTensor> fin = WitnessCodec.readTensors(d, "final state");
                yield ProgramCodec.guard("output witness", () -> new OutputWitness(io, path, fin));
            }
            default -> throw new DecodingException("unknown witness tag " + tag + " (1 input, 2 op, 3 output)");
        };
        d.end("step witness");
        return w;
    }
}
