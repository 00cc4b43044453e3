package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A decoder's config and weights in one small binary file. The ONNX export holds the same weights, but not the
 * config (the head count cannot be read back from tensor shapes), and reading it back would mean parsing the graph;
 * this format is read by forty lines with a check at every field.
 *
 * <p>Layout, every number big-endian ({@link DataOutputStream}):
 * <pre>
 * bytes[8]  magic "VRTYDECK"
 * int32     version (1)
 * int32 × 6 vocabSize, contextLength, layers, heads, width, mlpWidth
 * int32     tensor count, then per tensor in {@link ParameterLayout} order:
 *             uint16 name length, UTF-8 name, int32 rank, int32 × rank dims, float32 × product(dims) values
 * int64     CRC-32 of every byte before it
 * </pre>
 */
public final class DecoderCheckpoint {
    static final byte[] MAGIC = "VRTYDECK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private DecoderCheckpoint() {}

    public static byte[] toBytes(DecoderWeights weights) {
        DecoderConfig c = weights.config();
        ParameterLayout layout = ParameterLayout.of(c);
        float[] flat = layout.flatten(weights);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * flat.length + 4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            for (int v : new int[] {c.vocabSize(), c.contextLength(), c.layers(), c.heads(), c.width(), c.mlpWidth()}) {
                out.writeInt(v);
            }
            out.writeInt(layout.tensors().size());
            for (ParameterLayout.Tensor t : layout.tensors()) {
                byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeInt(t.shape().length);
                for (int d : t.shape()) {
                    out.writeInt(d);
                }
                for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                    out.writeFloat(flat[i]);
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static void write(DecoderWeights weights, Path file) throws IOException {
        Files.write(file, toBytes(weights));
    }

    public static DecoderWeights read(Path file) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint; every defect is an {@link IllegalArgumentException} that says what and where. */
    public static DecoderWeights fromBytes(byte[] bytes) {
        Reader in = new Reader(bytes);
        byte[] magic = in.bytes(MAGIC.length, "the magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a decoder checkpoint: it starts with "
                    + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?") + ", not VRTYDECK");
        }
        int version = in.int32("the version");
        if (version != VERSION) {
            throw new IllegalArgumentException("checkpoint version " + version + " is not supported (this reader knows "
                    + VERSION + ")");
        }
        DecoderConfig config = new DecoderConfig(in.int32("vocabSize"), in.int32("contextLength"), in.int32("layers"),
                in.int32("heads"), in.int32("width"), in.int32("mlpWidth"));
        ParameterLayout layout = ParameterLayout.of(config);
        int count = in.int32("the tensor count");
        if (count != layout.tensors().size()) {
            throw new IllegalArgumentException("the checkpoint has " + count + " tensors; " + config + " has "
                    + layout.tensors().size());
        }
        float[] flat = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            String name = new String(in.bytes(in.uint16("a tensor name length"), "a tensor name"), StandardCharsets.UTF_8);
            int rank = in.int32("the rank of " + name);
            if (rank < 0 || rank > 8) {
                throw new IllegalArgumentException("tensor '" + name + "' has rank " + rank);
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.int32("a dimension of " + name);
            }
            if (!name.equals(t.name()) || !Arrays.equals(dims, t.shape())) {
                throw new IllegalArgumentException("found tensor '" + name + "' " + Arrays.toString(dims) + " where " + config
                        + " expects '" + t.name() + "' " + Arrays.toString(t.shape()));
            }
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                flat[i] = in.float32(name);
            }
        }
        int checked = in.position();
        long stored = in.int64("the checksum");
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, checked);
        if (crc.getValue() != stored) {
            throw new IllegalArgumentException("checkpoint checksum mismatch: the file is corrupt");
        }
        if (in.position() != bytes.length) {
            throw new IllegalArgumentException((bytes.length - in.position()) + " unexpected bytes after the checksum");
        }
        return layout.toWeights(flat);
    }

    /** Reads fields, turning a premature end into a message that names the field. */
    private static final class Reader {
        private final byte[] bytes;
        private final DataInputStream in;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
            this.in = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        int position() {
            return position;
        }

        byte[] bytes(int n, String what) {
            need(n, what);
            byte[] out = new byte[n];
            run(() -> in.readFully(out));
            return out;
        }

        int int32(String what) {
            need(4, what);
            int[] v = new int[1];
            run(() -> v[0] = in.readInt());
            return v[0];
        }

        int uint16(String what) {
            need(2, what);
            int[] v = new int[1];
            run(() -> v[0] = in.readUnsignedShort());
            return v[0];
        }

        long int64(String what) {
            need(8, what);
            long[] v = new long[1];
            run(() -> v[0] = in.readLong());
            return v[0];
        }

        float float32(String what) {
            need(4, what);
            float[] v = new float[1];
            run(() -> v[0] = in.readFloat());
            return v[0];
        }

        private void need(int n, String what) {
            if (bytes.length - position < n) {
                throw new IllegalArgumentException("the checkpoint is truncated: it ends at byte " + bytes.length
                        + " while reading " + what);
            }
            position += n;
        }

        private interface Read {
            void run() throws IOException;
        }

        private static void run(Read read) {
            try {
                read.run();
            } catch (EOFException e) {
                throw new IllegalStateException("length already checked", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
