package dev.verity.inference.pkg;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.ProgramCodec;
import java.util.Arrays;
import java.util.List;

/**
 * A deployable model: the original ONNX bytes, the quantized integer {@link Program} every worker runs,
 * and metadata. Its canonical bytes ({@link #encode()}) and id ({@link #id()}, SHA-256 of those bytes)
 * are functions of the content alone.
 *
 * <pre>
 * package  = fixed "VRTYMPKG" (8 ASCII bytes)
 *            u32 version = 1
 *            bytes onnx                                  u32 length + raw bytes
 *            metadata
 *            program                                     see ProgramCodec
 * metadata = string name
 *            u32 n, n x io (inputs)
 *            u32 n, n x io (outputs)
 *            u64 computeUnits
 *            u32 n, n x string operators                 sorted, distinct
 *            i32 calibrationAccuracyBps                  0..10000, or -1 (unknown)
 *            i32 floatAccuracyBps                        0..10000, or -1
 * io       = string name, i32 onnxElementType, u32 rank, rank x i32 dim (-1: open)
 * </pre>
 *
 * Integers are big-endian, strings UTF-8 with a u32 byte length, i32 the u32 of the two's-complement
 * bits (core {@code Encoder} conventions). Nothing may follow the program.
 */
public record ModelPackage(byte[] onnx, Program program, ModelMetadata metadata) {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'V', 'R', 'T', 'Y', 'M', 'P', 'K', 'G'};

    public ModelPackage {
        if (onnx == null || program == null || metadata == null) {
            throw new IllegalArgumentException("a model package needs ONNX bytes, a program and metadata");
        }
        onnx = onnx.clone();
    }

    @Override
    public byte[] onnx() {
        return onnx.clone();
    }

    /** SHA-256 of the ONNX bytes alone (how the ledger registers a model). */
    public Hash onnxHash() {
        return Sha256.digest(onnx);
    }

    /** The canonical bytes. */
    public byte[] encode() {
        Encoder e = new Encoder(onnx.length + 4096);
        e.fixed(MAGIC);
        e.u32(VERSION);
        e.bytes(onnx);
        ModelMetadata m = metadata;
        e.string(m.name());
        e.list(m.inputs(), ModelPackage::writeIo);
        e.list(m.outputs(), ModelPackage::writeIo);
        e.u64(m.computeUnits());
        e.list(m.operators(), Encoder::string);
        ProgramCodec.i32(e, m.calibrationAccuracyBps());
        ProgramCodec.i32(e, m.floatAccuracyBps());
        ProgramCodec.write(e, program);
        return e.toByteArray();
    }

    /** SHA-256 of {@link #encode()}. */
    public Hash id() {
        return Sha256.digest(encode());
    }

    /** Reads canonical bytes; every malformation is a {@link DecodingException} saying what is wrong. */
    public static ModelPackage decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        byte[] magic = d.fixed(MAGIC.length, "model package magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DecodingException("not a model package: bad magic");
        }
        long version = d.u32("model package version");
        if (version != VERSION) {
            throw new DecodingException("unsupported model package version " + version + " (expected " + VERSION + ")");
        }
        byte[] onnx = d.bytes("ONNX model", d.remaining());
        String name = d.string("model name", ModelMetadata.MAX_NAME_BYTES);
        List<IoInfo> inputs = ProgramCodec.list(d, "model inputs", 12, ModelPackage::readIo);
        List<IoInfo> outputs = ProgramCodec.list(d, "model outputs", 12, ModelPackage::readIo);
        long computeUnits = d.u64("compute units");
        List<String> operators = ProgramCodec.list(d, "operators", 4, x -> x.string("operator", ModelMetadata.MAX_OPERATOR_BYTES));
        int calibration = ProgramCodec.i32(d, "calibration accuracy");
        int floatAccuracy = ProgramCodec.i32(d, "float accuracy");
        ModelMetadata metadata = ProgramCodec.guard("metadata",
                () -> new ModelMetadata(name, inputs, outputs, computeUnits, operators, calibration, floatAccuracy));
        Program program = ProgramCodec.read(d);
        d.end("model package");
        return new ModelPackage(onnx, program, metadata);
    }

    private static void writeIo(Encoder e, IoInfo io) {
        e.string(io.name());
        ProgramCodec.i32(e, io.elementType());
        int[] shape = io.shape();
        e.u32(shape.length);
        for (int dim : shape) {
            ProgramCodec.i32(e, dim);
        }
    }

    private static IoInfo readIo(Decoder d) {
        String name = ProgramCodec.name(d, "input/output name");
        int type = ProgramCodec.i32(d, "element type of '" + name + "'");
        int rank = ProgramCodec.count(d, "shape of '" + name + "'", 4);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = ProgramCodec.i32(d, "dimension of '" + name + "'");
        }
        return ProgramCodec.guard("'" + name + "'", () -> new IoInfo(name, type, shape));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPackage p && Arrays.equals(encode(), p.encode());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "ModelPackage(" + metadata.name() + ", " + program.ops().size() + " ops)";
    }
}
