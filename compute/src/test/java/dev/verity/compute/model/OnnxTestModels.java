package dev.verity.compute.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Hand-written ONNX protobuf messages for tests, and access to the bundled MiniLM files. */
final class OnnxTestModels {
    private OnnxTestModels() {}

    static byte[] resource(String name) {
        try (InputStream in = OnnxTestModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] miniLmModel() {
        return resource("/all-minilm-l6-v2-q.onnx");
    }

    static byte[] miniLmTokenizer() {
        return resource("/all-minilm-l6-v2-q-tokenizer.json");
    }

    /** A protobuf message builder writing fields in the order they are added. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg varint(int field, long value) {
            return write(() -> out.writeInt64(field, value));
        }

        Msg string(int field, String value) {
            return write(() -> out.writeString(field, value));
        }

        Msg bytes(int field, byte[] value) {
            return write(() -> out.writeByteArray(field, value));
        }

        Msg msg(int field, Msg value) {
            return write(() -> out.writeBytes(field, ByteString.copyFrom(value.toBytes())));
        }

        byte[] toBytes() {
            write(out::flush);
            return bytes.toByteArray();
        }

        private interface IoAction {
            void run() throws IOException;
        }

        private Msg write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static Msg model(Msg graph) {
        Msg m = new Msg().varint(1, 9).msg(8, new Msg().string(1, "").varint(2, 17));
        return graph == null ? m : m.msg(7, graph);
    }

    static Msg node(String opType, List<String> inputs, List<String> outputs) {
        Msg n = new Msg();
        inputs.forEach(i -> n.string(1, i));
        outputs.forEach(o -> n.string(2, o));
        return n.string(4, opType);
    }

    /** A float initializer with the given dims; dims are written packed, as onnx does. */
    static Msg initializer(String name, long... dims) {
        Msg t = new Msg();
        if (dims.length > 0) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            CodedOutputStream c = CodedOutputStream.newInstance(raw);
            try {
                for (long d : dims) {
                    c.writeInt64NoTag(d);
                }
                c.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            t.bytes(1, raw.toByteArray());
        }
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        return t.varint(2, 1).string(8, name).bytes(9, new byte[(int) count * 4]);
    }

    /** A ValueInfoProto of a tensor; each dim is a number or a symbolic name. */
    static Msg valueInfo(String name, int elemType, Object... dims) {
        Msg shape = new Msg();
        for (Object d : dims) {
            shape.msg(1, d instanceof Number n ? new Msg().varint(1, n.longValue()) : new Msg().string(2, (String) d));
        }
        Msg tensorType = new Msg().varint(1, elemType).msg(2, shape);
        return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
    }
}
