package dev.verity.modelhub.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A tiny protobuf message writer for building ONNX test inputs by hand, field by field. */
public final class Proto {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    public static Proto message() {
        return new Proto();
    }

    public Proto varint(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    public Proto fixed32(int field, float value) {
        return write(() -> out.writeFloat(field, value));
    }

    public Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public Proto bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    public Proto message(int field, Proto value) {
        return bytes(field, value.toByteArray());
    }

    public Proto packedLongs(int field, long... values) {
        Proto packed = new Proto();
        for (long v : values) {
            packed.write(() -> packed.out.writeInt64NoTag(v));
        }
        return bytes(field, packed.toByteArray());
    }

    public Proto packedFloats(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return bytes(field, b.array());
    }

    public byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private Proto write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    // ---- ONNX messages

    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;

    /** ModelProto with ir_version 8, the default-domain opset, and the graph. */
    public static Proto model(long opset, Proto graph) {
        return message().varint(1, 8).message(8, message().string(1, "").varint(2, opset)).message(7, graph);
    }

    /** GraphProto; parts are added with the methods below. */
    public static Proto graph(String name) {
        return message().string(2, name);
    }

    public static Proto node(String opType, String name, String[] inputs, String[] outputs, Proto... attributes) {
        Proto node = message();
        for (String input : inputs) {
            node.string(1, input);
        }
        for (String output : outputs) {
            node.string(2, output);
        }
        node.string(3, name).string(4, opType);
        for (Proto a : attributes) {
            node.message(5, a);
        }
        return node;
    }

    public static Proto intAttr(String name, long value) {
        return message().string(1, name).varint(20, 2).varint(3, value);
    }

    public static Proto floatAttr(String name, float value) {
        return message().string(1, name).varint(20, 1).fixed32(2, value);
    }

    public static Proto intsAttr(String name, long... values) {
        return message().string(1, name).varint(20, 7).packedLongs(8, values);
    }

    public static Proto floatsAttr(String name, float... values) {
        return message().string(1, name).varint(20, 6).packedFloats(7, values);
    }

    public static Proto stringAttr(String name, String value) {
        return message().string(1, name).varint(20, 3).string(4, value);
    }

    public static Proto tensorAttr(String name, Proto tensor) {
        return message().string(1, name).varint(20, 4).message(5, tensor);
    }

    /** A FLOAT TensorProto with its values in raw_data. */
    public static Proto rawFloatTensor(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return message().packedLongs(1, dims).varint(2, FLOAT).string(8, name).bytes(9, b.array());
    }

    /** A FLOAT TensorProto with its values in float_data. */
    public static Proto floatDataTensor(String name, long[] dims, float... values) {
        return message().packedLongs(1, dims).varint(2, FLOAT).packedFloats(4, values).string(8, name);
    }

    /** An INT64 TensorProto with its values in int64_data. */
    public static Proto int64Tensor(String name, long[] dims, long... values) {
        return message().packedLongs(1, dims).varint(2, INT64).packedLongs(7, values).string(8, name);
    }

    /** ValueInfoProto of a tensor; a negative dim becomes a dim_param. */
    public static Proto valueInfo(String name, int elemType, long... dims) {
        Proto shape = message();
        for (long d : dims) {
            shape.message(1, d < 0 ? message().string(2, "batch") : message().varint(1, d));
        }
        Proto tensorType = message().varint(1, elemType).message(2, shape);
        return message().string(1, name).message(2, message().message(1, tensorType));
    }
}
