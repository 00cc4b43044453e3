package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.Shapes;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The pieces of {@link StepWitness}'s encoding. */
final class WitnessCodec {
    /** The kind byte of a witness tensor: its content hash only, or its full value. */
    static final int HASHED = 0;
    static final int FULL = 1;

    private WitnessCodec() {}

    static List<Hash> path(List<Hash> path) {
        if (path == null || path.size() > StepWitness.MAX_PATH) {
            throw new IllegalArgumentException("a Merkle path has at most " + StepWitness.MAX_PATH + " hashes, got "
                    + (path == null ? "none" : path.size()));
        }
        return List.copyOf(path);
    }

    static List<WitnessTensor> tensors(List<WitnessTensor> tensors) {
        if (tensors == null) {
            throw new IllegalArgumentException("the state's tensors are required");
        }
        return List.copyOf(tensors);
    }

    static void writePath(Encoder e, List<Hash> path) {
        e.list(path, Encoder::hash);
    }

    static void writeTensors(Encoder e, List<WitnessTensor> tensors) {
        e.list(tensors, (enc, t) -> {
            enc.string(t.name());
            if (t.isFull()) {
                Tensor v = t.tensor();
                enc.u8(FULL).u8(v.dtype().code());
                ProgramCodec.shape(enc, v.shape());
                enc.fixed(v.canonicalBytes());
            } else {
                enc.u8(HASHED).hash(t.contentHash());
            }
        });
    }

    static void writeRows(Encoder e, List<WitnessRows> rows) {
        e.list(rows, (enc, r) -> {
            enc.list(r.rows(), (x, row) -> x.u32(row.index()).fixed(row.bytes()));
            enc.list(r.proof(), Encoder::hash);
        });
    }

    /** The rows of each tensor {@code op} commits by rows; their widths come from the leaf. */
    static List<WitnessRows> readRows(Decoder d, OpLeaf op) {
        List<OpLeaf.CommittedTensor> committed = op.rowCommitted();
        long n = d.u32("count of row-committed tensors");
        if (n != committed.size()) {
            throw new DecodingException("the witness gives rows of " + n + " tensors, op leaf " + op.opIndex() + " commits "
                    + committed.size() + " by rows");
        }
        List<WitnessRows> out = new ArrayList<>(committed.size());
        for (OpLeaf.CommittedTensor c : committed) {
            String what = "rows of '" + c.spec().name() + "'";
            int width = c.rowBytes();
            int k = ProgramCodec.count(d, what, 4 + width);
            List<WitnessRows.Row> rows = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                int index = d.u31("row index in " + what);
                rows.add(new WitnessRows.Row(index, d.fixed(width, "bytes of row " + index + " of '" + c.spec().name() + "'")));
            }
            int m = ProgramCodec.count(d, "row proof of '" + c.spec().name() + "'", Hash.LENGTH);
            List<Hash> proof = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                proof.add(d.hash("row proof hash " + i + " of '" + c.spec().name() + "'"));
            }
            out.add(new WitnessRows(rows, proof));
        }
        return out;
    }

    static List<Hash> readPath(Decoder d, String what) {
        long n = d.u32(what + " length");
        if (n > StepWitness.MAX_PATH) {
            throw new DecodingException(what + " has " + n + " hashes, more than the limit of " + StepWitness.MAX_PATH);
        }
        List<Hash> path = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            path.add(d.hash(what + " hash " + i));
        }
        return path;
    }

    static List<WitnessTensor> readTensors(Decoder d, String what) {
        int n = ProgramCodec.count(d, what + " tensors", 4 + 1 + 1 + 1 + 4);
        List<WitnessTensor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = ProgramCodec.name(d, what + " tensor name");
            int kind = d.u8("kind of " + what + " tensor '" + name + "'");
            if (kind == HASHED) {
                Hash h = d.hash("content hash of '" + name + "'");
                out.add(ProgramCodec.guard("tensor '" + name + "'", () -> WitnessTensor.hashed(name, h)));
            } else if (kind == FULL) {
                int code = d.u8("dtype of '" + name + "'");
                DType dtype = DType.fromCode(code);
                int[] shape = ProgramCodec.shape(d, "shape of '" + name + "'");
                int count = ProgramCodec.guard("tensor '" + name + "'", () -> Shapes.elementCount(shape, "tensor '" + name + "'"));
                long size = (long) count * dtype.width();
                if (size > d.remaining()) {
                    throw new DecodingException("tensor '" + name + "' needs " + size + " bytes of elements, only "
                            + d.remaining() + " left");
                }
                byte[] raw = d.fixed((int) size, "elements of '" + name + "'");
                Tensor t = Tensor.fromCanonicalBytes(dtype, shape, raw);
                out.add(WitnessTensor.full(name, t));
            } else {
                throw new DecodingException(what + " tensor '" + name + "': kind " + kind + " is neither 0 (content hash) nor 1 (full)");
            }
        }
        return out;
    }
}
