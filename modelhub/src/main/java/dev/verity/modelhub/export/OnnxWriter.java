package dev.verity.modelhub.export;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a {@link Graph} as the bytes of an ONNX {@code ModelProto}, encoded by hand with
 * {@link CodedOutputStream} (the field numbers are those of {@code onnx.proto}; no generated classes).
 *
 * <p>What is written: {@code ir_version} 8 (or the graph's own, if higher), {@code producer_name}
 * "verity", one {@code opset_import} for the default domain with the graph's opset version (13 when the
 * graph has none), and the graph: its nodes with their attributes (INT, FLOAT, INTS, FLOATS, STRING,
 * TENSOR), its initializers, and its inputs and outputs as tensor types with shapes. A dimension of
 * {@code -1} is written as the symbolic dimension the value names ({@link ValueInfo#dimName}), or else as
 * {@code "N"} (a second unnamed one as {@code "N_1"}, and so on).
 *
 * <p>Tensor data: FLOAT as little-endian {@code raw_data} (or {@code float_data}, see
 * {@link FloatEncoding}), DOUBLE as {@code double_data}, INT64 as {@code int64_data}, the narrower
 * integer types, BOOL and FLOAT16 (its bit pattern) as {@code int32_data}, UINT32 and UINT64 as
 * {@code uint64_data}. STRING tensors are not supported.
 *
 * <p>Deterministic: fields are written in field-number order, attributes and initializers in the
 * graph's (sorted) order, so the same graph always gives the same bytes.
 */
public final class OnnxWriter {
    /** The IR version written, unless the graph asks for a higher one. */
    public static final long IR_VERSION = 8;
    /** The opset version written when the graph has none ({@code opsetVersion <= 0}). */
    public static final long DEFAULT_OPSET = 13;
    public static final String PRODUCER_NAME = "verity";

    /** How FLOAT tensors carry their values. */
    public enum FloatEncoding {
        /** {@code raw_data}: 4 bytes per value, little-endian (the compact form most exporters use). */
        RAW_DATA,
        /** {@code float_data}: a packed repeated float field. */
        FLOAT_DATA
    }

    private final FloatEncoding floatEncoding;

    /** A writer that stores FLOAT tensors as {@code raw_data}. */
    public OnnxWriter() {
        this(FloatEncoding.RAW_DATA);
    }

    public OnnxWriter(FloatEncoding floatEncoding) {
        this.floatEncoding = floatEncoding;
    }

    /** The graph as ONNX model bytes, FLOAT tensors as {@code raw_data}. */
    public static byte[] toBytes(Graph graph) {
        return new OnnxWriter().write(graph);
    }

    /** The graph as ONNX model bytes. */
    public byte[] write(Graph graph) {
        Message model = new Message();
        model.int64(1, Math.max(IR_VERSION, graph.irVersion()));   // ir_version
        model.string(2, PRODUCER_NAME);                              // producer_name
        model.message(7, graph(graph));                              // graph
        Message opset = new Message();
        opset.string(1, "");                                         // domain: the default (ai.onnx)
        opset.int64(2, graph.opsetVersion() > 0 ? graph.opsetVersion() : DEFAULT_OPSET);
        model.message(8, opset);                                     // opset_import
        return model.toByteArray();
    }

    /** Writes the model bytes to a file (replacing it), creating its parent directories. */
    public void write(Graph graph, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, write(graph));
    }

    private Message graph(Graph graph) {
        Message g = new Message();
        for (Node node : graph.nodes()) {
            g.message(1, node(node));                                // node
        }
        g.string(2, graph.name() == null || graph.name().isEmpty() ? PRODUCER_NAME : graph.name()); // name
        for (Map.Entry<String, TensorData> e : graph.initializers().entrySet()) {
            g.message(5, tensor(e.getKey(), e.getValue()));          // initializer
        }
        for (ValueInfo input : graph.inputs()) {
            g.message(11, valueInfo(input));                         // input
        }
        for (ValueInfo output : graph.outputs()) {
            g.message(12, valueInfo(output));                        // output
        }
        return g;
    }

    private Message node(Node node) {
        Message n = new Message();
        for (String input : node.inputs()) {
            n.string(1, input);                                      // input ("" = omitted optional)
        }
        for (String output : node.outputs()) {
            n.string(2, output);                                     // output
        }
        if (!node.name().isEmpty()) {
            n.string(3, node.name());                                // name
        }
        n.string(4, node.opType());                                  // op_type
        for (Map.Entry<String, Attribute> e : node.attributes().entrySet()) {
            n.message(5, attribute(e.getKey(), e.getValue()));       // attribute
        }
        return n;
    }

    /** AttributeProto; the {@code type} field (20) comes last, in field-number order. */
    private Message attribute(String name, Attribute attribute) {
        Message a = new Message();
        a.string(1, name);
        int type = switch (attribute) {
            case Attribute.Float f -> {
                a.float32(2, f.value());                             // f
                yield 1;                                             // AttributeType.FLOAT
            }
            case Attribute.Int i -> {
                a.int64(3, i.value());                               // i
                yield 2;                                             // INT
            }
            case Attribute.Str s -> {
                a.string(4, s.value());                              // s
                yield 3;                                             // STRING
            }
            case Attribute.Tensor t -> {
                a.message(5, tensor(t.value().name(), t.value()));   // t
                yield 4;                                             // TENSOR
            }
            case Attribute.Floats fs -> {
                for (float f : fs.values()) {
                    a.float32(7, f);                                 // floats (not packed in onnx.proto)
                }
                yield 6;                                             // FLOATS
            }
            case Attribute.Ints is -> {
                for (long i : is.values()) {
                    a.int64(8, i);                                   // ints (not packed in onnx.proto)
                }
                yield 7;                                             // INTS
            }
        };
        a.int32(20, type);
        return a;
    }

    private Message tensor(String name, TensorData t) {
        long count = t.elementCount();
        DataType type = t.type();
        boolean floating = type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.FLOAT16;
        int have = floating ? t.floats().length : t.longs().length;
        if (type == DataType.STRING) {
            throw new IllegalArgumentException("tensor '" + name + "': STRING tensors cannot be written");
        }
        if (have != count) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(t.dims())
                    + " has " + count + " elements but holds " + have + " values");
        }
        Message m = new Message();
        for (long d : t.dims()) {
            m.int64(1, d);                                           // dims (not packed in onnx.proto)
        }
        m.int32(2, type.code());                                     // data_type
        switch (type) {
            case FLOAT -> {
                if (floatEncoding == FloatEncoding.FLOAT_DATA) {
                    m.packedFloats(4, t.floats());                   // float_data
                }
            }
            case FLOAT16 -> {
                float[] fs = t.floats();
                long[] bits = new long[fs.length];
                for (int i = 0; i < fs.length; i++) {
                    bits[i] = Float.floatToFloat16(fs[i]) & 0xFFFF;
                }
                m.packedInt32s(5, bits);                             // int32_data
            }
            case INT8, UINT8, INT16, UINT16, INT32, BOOL -> m.packedInt32s(5, t.longs()); // int32_data
            case INT64 -> m.packedInt64s(7, t.longs());              // int64_data
            default -> { }
        }
        m.string(8, name);                                           // name
        if (type == DataType.FLOAT && floatEncoding == FloatEncoding.RAW_DATA) {
            m.bytes(9, littleEndian(t.floats()));                    // raw_data
        }
        if (type == DataType.DOUBLE) {
            m.packedDoubles(10, t.floats());                         // double_data
        }
        if (type == DataType.UINT32 || type == DataType.UINT64) {
            m.packedUint64s(11, t.longs());                          // uint64_data
        }
        return m;
    }

    private static Message valueInfo(ValueInfo info) {
        Message shape = new Message();
        int symbolic = 0;
        for (int index = 0; index < info.dims().size(); index++) {
            long d = info.dims().get(index);
            Message dim = new Message();
            if (d >= 0) {
                dim.int64(1, d);                                     // dim_value
            } else if (d == -1 && !info.dimName(index).isEmpty()) {
                dim.string(2, info.dimName(index));                  // dim_param, as named
            } else if (d == -1) {
                dim.string(2, symbolic == 0 ? "N" : "N_" + symbolic); // dim_param
                symbolic++;
            } else {
                throw new IllegalArgumentException("value '" + info.name() + "' has dimension " + d);
            }
            shape.message(1, dim);                                   // TensorShapeProto.dim
        }
        Message tensorType = new Message();
        tensorType.int32(1, info.type().code());                     // elem_type
        tensorType.message(2, shape);                                // shape
        Message type = new Message();
        type.message(1, tensorType);                                 // TypeProto.tensor_type
        Message v = new Message();
        v.string(1, info.name());                                    // name
        v.message(2, type);                                          // type
        return v;
    }

    private static byte[] littleEndian(float[] values) {
        byte[] out = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            out[4 * i] = (byte) bits;
            out[4 * i + 1] = (byte) (bits >>> 8);
            out[4 * i + 2] = (byte) (bits >>> 16);
            out[4 * i + 3] = (byte) (bits >>> 24);
        }
        return out;
    }

    /** One protobuf message being written: fields are appended in call order. */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        void int64(int field, long value) {
            run(() -> out.writeInt64(field, value));
        }

        void int32(int field, int value) {
            run(() -> out.writeInt32(field, value));
        }

        void float32(int field, float value) {
            run(() -> out.writeFloat(field, value));
        }

        void string(int field, String value) {
            run(() -> out.writeString(field, value));
        }

        void bytes(int field, byte[] value) {
            run(() -> out.writeByteArray(field, value));
        }

        void message(int field, Message value) {
            bytes(field, value.toByteArray());
        }

        void packedFloats(int field, float[] values) {
            if (values.length > 0) {
                run(() -> {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(values.length * 4);
                    for (float v : values) {
                        out.writeFloatNoTag(v);
                    }
                });
            }
        }

        void packedDoubles(int field, float[] values) {
            if (values.length > 0) {
                run(() -> {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(values.length * 8);
                    for (float v : values) {
                        out.writeDoubleNoTag(v);
                    }
                });
            }
        }

        void packedInt32s(int field, long[] values) {
            packedVarints(field, values, true);
        }

        void packedInt64s(int field, long[] values) {
            packedVarints(field, values, false);
        }

        void packedUint64s(int field, long[] values) {
            packedVarints(field, values, false);
        }

        /** int32 values are sign-extended to 64 bits on the wire, as protobuf does. */
        private void packedVarints(int field, long[] values, boolean int32) {
            if (values.length == 0) {
                return;
            }
            int size = 0;
            for (long v : values) {
                size += CodedOutputStream.computeUInt64SizeNoTag(int32 ? (long) (int) v : v);
            }
            int length = size;
            run(() -> {
                out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(length);
                for (long v : values) {
                    out.writeUInt64NoTag(int32 ? (long) (int) v : v);
                }
            });
        }

        byte[] toByteArray() {
            run(out::flush);
            return bytes.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void run(Write write) {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
        }
    }
}
