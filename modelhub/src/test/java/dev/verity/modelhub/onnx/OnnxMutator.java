package dev.verity.modelhub.onnx;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutates serialized ONNX models for {@link OnnxParserFuzzTest}, all randomness drawn from one seeded {@link Random}
 * so that a run is reproducible.
 *
 * <p>Two kinds of mutation:
 * <ul>
 *   <li><b>structural</b>, on the protobuf field tree of a seed (length-delimited payloads that parse as messages are
 *       kept as sub-messages), re-serialized with consistent lengths so that the mutant reaches the parser's later
 *       checks: delete, duplicate or swap a field, graft a field from another seed, renumber a field or change its
 *       wire type, set a varint to an extreme value, or mutate the bytes of a leaf payload (names, raw_data);</li>
 *   <li><b>byte-level</b>, on the serialized bytes: flip bits, overwrite bytes, insert or delete a run of bytes,
 *       truncate, duplicate a slice, replace a varint (tag, length prefix or value) with an extreme value, splice
 *       with another seed.</li>
 * </ul>
 */
final class OnnxMutator {
    /** Varint values that tend to break length, count and size arithmetic. */
    static final long[] EXTREME_VALUES = {
        0, 1, 2, 127, 128, 255, 256, 4096, 100_000, 100_001, (64L << 20) - 1, 64L << 20, (64L << 20) + 1,
        Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 1L << 31, (1L << 32) - 1, 1L << 32, (1L << 32) + 1, 1L << 53,
        Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, Integer.MIN_VALUE, -(64L << 20)
    };

    private static final int MAX_DEPTH = 12;

    /** One protobuf field; {@code children} is non-null for a length-delimited payload kept as a sub-message. */
    static final class Field {
        int number;
        int wireType;
        long value; // VARINT, FIXED64, FIXED32
        byte[] bytes; // LENGTH_DELIMITED leaf
        List<Field> children; // LENGTH_DELIMITED sub-message

        Field copy() {
            Field f = new Field();
            f.number = number;
            f.wireType = wireType;
            f.value = value;
            f.bytes = bytes == null ? null : bytes.clone();
            if (children != null) {
                f.children = new ArrayList<>(children.size());
                for (Field c : children) {
                    f.children.add(c.copy());
                }
            }
            return f;
        }
    }

    /** A field and the list that holds it. */
    private record Located(List<Field> parent, Field field) {}

    private final Random random;

    OnnxMutator(Random random) {
        this.random = random;
    }

    // ------------------------------------------------------------------ protobuf tree

    /** Parses {@code bytes} as a message; null if they are not well-formed protobuf (no groups). */
    static List<Field> parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length, 0);
    }

    private static List<Field> parse(byte[] b, int from, int to, int depth) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {from};
        while (pos[0] < to) {
            long tag = readVarint(b, pos, to);
            if (tag < 0 || (tag >>> 3) == 0 || (tag >>> 3) > 536_870_911) {
                return null;
            }
            Field f = new Field();
            f.number = (int) (tag >>> 3);
            f.wireType = (int) (tag & 7);
            switch (f.wireType) {
                case 0 -> {
                    if (pos[0] >= to) {
                        return null;
                    }
                    f.value = readVarint(b, pos, to);
                    if (pos[0] < 0) {
                        return null;
                    }
                }
                case 1, 5 -> {
                    int width = f.wireType == 1 ? 8 : 4;
                    if (to - pos[0] < width) {
                        return null;
                    }
                    for (int i = width - 1; i >= 0; i--) {
                        f.value = (f.value << 8) | (b[pos[0] + i] & 0xFF);
                    }
                    pos[0] += width;
                }
                case 2 -> {
                    long length = readVarint(b, pos, to);
                    if (pos[0] < 0 || length < 0 || length > to - pos[0]) {
                        return null;
                    }
                    int start = pos[0];
                    int end = start + (int) length;
                    List<Field> sub = depth < MAX_DEPTH && length > 0 ? parse(b, start, end, depth + 1) : null;
                    if (sub != null) {
                        f.children = sub;
                    } else {
                        f.bytes = Arrays.copyOfRange(b, start, end);
                    }
                    pos[0] = end;
                }
                default -> {
                    return null;
                }
            }
            fields.add(f);
        }
        return fields;
    }

    /** Reads a varint at {@code pos[0]}; sets {@code pos[0]} to -1 when it runs past {@code to} or over 10 bytes. */
    private static long readVarint(byte[] b, int[] pos, int to) {
        long result = 0;
        for (int shift = 0, i = pos[0]; shift < 70; shift += 7, i++) {
            if (i >= to) {
                pos[0] = -1;
                return -1;
            }
            result |= (long) (b[i] & 0x7F) << shift;
            if ((b[i] & 0x80) == 0) {
                pos[0] = i + 1;
                return result;
            }
        }
        pos[0] = -1;
        return -1;
    }

    static byte[] serialize(List<Field> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(fields, out);
        return out.toByteArray();
    }

    private static void write(List<Field> fields, ByteArrayOutputStream out) {
        for (Field f : fields) {
            writeVarint(out, ((long) f.number << 3) | (f.wireType & 7));
            switch (f.wireType) {
                case 0 -> writeVarint(out, f.value);
                case 1, 5 -> {
                    for (int i = 0, n = f.wireType == 1 ? 8 : 4; i < n; i++) {
                        out.write((int) (f.value >>> (8 * i)));
                    }
                }
                case 2 -> {
                    byte[] payload = f.children != null ? serialize(f.children) : f.bytes != null ? f.bytes : new byte[0];
                    writeVarint(out, payload.length);
                    out.writeBytes(payload);
                }
                default -> { } // START_GROUP, END_GROUP and the invalid 6 and 7: the tag alone
            }
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static void collect(List<Field> fields, List<Located> into) {
        for (Field f : fields) {
            into.add(new Located(fields, f));
            if (f.children != null) {
                collect(f.children, into);
            }
        }
    }

    private static void collectMessages(List<Field> fields, List<List<Field>> into) {
        into.add(fields);
        for (Field f : fields) {
            if (f.children != null) {
                collectMessages(f.children, into);
            }
        }
    }

    // ------------------------------------------------------------------ structural mutations

    /**
     * Applies one structural mutation to {@code tree} (in place), taking grafts from {@code donor}; returns its name.
     */
    String mutateTree(List<Field> tree, List<Field> donor) {
        List<Located> all = new ArrayList<>();
        collect(tree, all);
        if (all.isEmpty()) {
            return "empty tree";
        }
        Located at = all.get(random.nextInt(all.size()));
        Field f = at.field();
        switch (random.nextInt(8)) {
            case 0 -> {
                at.parent().remove(f);
                return "delete field " + f.number;
            }
            case 1 -> {
                at.parent().add(random.nextInt(at.parent().size() + 1), f.copy());
                return "duplicate field " + f.number;
            }
            case 2 -> {
                List<Field> parent = at.parent();
                int i = parent.indexOf(f);
                int j = random.nextInt(parent.size());
                parent.set(i, parent.get(j));
                parent.set(j, f);
                return "swap fields " + i + " and " + j;
            }
            case 3 -> {
                List<Located> donorFields = new ArrayList<>();
                collect(donor, donorFields);
                List<List<Field>> messages = new ArrayList<>();
                collectMessages(tree, messages);
                List<Field> target = messages.get(random.nextInt(messages.size()));
                Field graft = donorFields.get(random.nextInt(donorFields.size())).field().copy();
                target.add(random.nextInt(target.size() + 1), graft);
                return "graft field " + graft.number;
            }
            case 4 -> {
                int old = f.number;
                f.number = random.nextBoolean() ? 1 + random.nextInt(24) : 1 + random.nextInt(536_870_911);
                return "renumber field " + old + " to " + f.number;
            }
            case 5 -> {
                int old = f.wireType;
                f.wireType = random.nextInt(8);
                return "wire type of field " + f.number + " " + old + " -> " + f.wireType;
            }
            case 6 -> {
                List<Field> varints = new ArrayList<>();
                for (Located l : all) {
                    if (l.field().wireType == 0) {
                        varints.add(l.field());
                    }
                }
                Field v = varints.isEmpty() ? f : varints.get(random.nextInt(varints.size()));
                v.wireType = 0;
                v.value = extremeValue(v.value);
                return "set varint field " + v.number + " to " + v.value;
            }
            default -> {
                List<Field> leaves = new ArrayList<>();
                for (Located l : all) {
                    if (l.field().bytes != null) {
                        leaves.add(l.field());
                    }
                }
                if (leaves.isEmpty()) {
                    return "no leaf payload";
                }
                Field leaf = leaves.get(random.nextInt(leaves.size()));
                StringBuilder what = new StringBuilder("payload of field " + leaf.number + ": ");
                leaf.bytes = mutateBytes(leaf.bytes, null, what);
                return what.toString();
            }
        }
    }

    long extremeValue(long original) {
        return switch (random.nextInt(4)) {
            case 0 -> original + (random.nextBoolean() ? 1 : -1);
            case 1 -> random.nextLong();
            default -> EXTREME_VALUES[random.nextInt(EXTREME_VALUES.length)];
        };
    }

    // ------------------------------------------------------------------ byte-level mutations

    /**
     * Applies one byte-level mutation; {@code other} (may be null) is the seed to splice with. Appends the mutation's
     * name to {@code log}.
     */
    byte[] mutateBytes(byte[] b, byte[] other, StringBuilder log) {
        int kind = random.nextInt(other == null ? 7 : 8);
        if (b.length == 0 && kind != 2 && kind != 7) {
            kind = 2;
        }
        switch (kind) {
            case 0 -> {
                byte[] m = b.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = random.nextInt(m.length);
                    m[p] ^= (byte) (1 << random.nextInt(8));
                }
                log.append("flip ").append(flips).append(" bits; ");
                return m;
            }
            case 1 -> {
                byte[] m = b.clone();
                int n = 1 + random.nextInt(8);
                for (int i = 0; i < n; i++) {
                    m[random.nextInt(m.length)] = interestingByte();
                }
                log.append("overwrite ").append(n).append(" bytes; ");
                return m;
            }
            case 2 -> {
                int p = random.nextInt(b.length + 1);
                byte[] run = new byte[1 + random.nextInt(64)];
                if (random.nextBoolean()) {
                    random.nextBytes(run);
                } else {
                    Arrays.fill(run, interestingByte());
                }
                log.append("insert ").append(run.length).append(" bytes at ").append(p).append("; ");
                return splice(b, p, p, run);
            }
            case 3 -> {
                int p = random.nextInt(b.length);
                int n = 1 + random.nextInt(Math.min(64, b.length - p));
                log.append("delete ").append(n).append(" bytes at ").append(p).append("; ");
                return splice(b, p, p + n, new byte[0]);
            }
            case 4 -> {
                int n = random.nextInt(b.length);
                log.append("truncate to ").append(n).append(" bytes; ");
                return Arrays.copyOf(b, n);
            }
            case 5 -> {
                int from = random.nextInt(b.length);
                int n = 1 + random.nextInt(Math.min(256, b.length - from));
                int p = random.nextInt(b.length + 1);
                log.append("duplicate ").append(n).append(" bytes from ").append(from).append(" at ").append(p)
                        .append("; ");
                return splice(b, p, p, Arrays.copyOfRange(b, from, from + n));
            }
            case 6 -> {
                List<int[]> spans = varintSpans(b);
                int[] span = spans.isEmpty() ? new int[] {random.nextInt(b.length), 1}
                        : spans.get(random.nextInt(spans.size()));
                long value = EXTREME_VALUES[random.nextInt(EXTREME_VALUES.length)];
                log.append("varint at ").append(span[0]).append(" -> ").append(value).append("; ");
                return splice(b, span[0], Math.min(b.length, span[0] + span[1]), varint(value));
            }
            default -> {
                int cut = random.nextInt(b.length + 1);
                int otherCut = random.nextInt(other.length + 1);
                log.append("splice at ").append(cut).append(" with another seed from ").append(otherCut).append("; ");
                return splice(b, cut, b.length, Arrays.copyOfRange(other, otherCut, other.length));
            }
        }
    }

    private byte interestingByte() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> (byte) 0xFF;
            case 2 -> 0x7F;
            case 3 -> (byte) 0x80;
            default -> (byte) random.nextInt(256);
        };
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] m = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, m, 0, from);
        System.arraycopy(insert, 0, m, from, insert.length);
        System.arraycopy(b, to, m, from + insert.length, b.length - to);
        return m;
    }

    /**
     * The {start, length} of every varint (tags, values and length prefixes) found by walking {@code b} as protobuf,
     * as far as it is well-formed, descending into payloads that look like messages.
     */
    static List<int[]> varintSpans(byte[] b) {
        List<int[]> spans = new ArrayList<>();
        scan(b, 0, b.length, 0, spans);
        return spans;
    }

    private static boolean scan(byte[] b, int from, int to, int depth, List<int[]> spans) {
        int[] pos = {from};
        while (pos[0] < to) {
            int start = pos[0];
            long tag = readVarint(b, pos, to);
            if (pos[0] < 0) {
                return false;
            }
            spans.add(new int[] {start, pos[0] - start});
            int wire = (int) (tag & 7);
            if (wire == 0) {
                start = pos[0];
                readVarint(b, pos, to);
                if (pos[0] < 0) {
                    return false;
                }
                spans.add(new int[] {start, pos[0] - start});
            } else if (wire == 1 || wire == 5) {
                pos[0] += wire == 1 ? 8 : 4;
            } else if (wire == 2) {
                start = pos[0];
                long length = readVarint(b, pos, to);
                if (pos[0] < 0 || length < 0 || length > to - pos[0]) {
                    return false;
                }
                spans.add(new int[] {start, pos[0] - start});
                int end = pos[0] + (int) length;
                if (depth < MAX_DEPTH) {
                    int before = spans.size();
                    if (!scan(b, pos[0], end, depth + 1, spans)) {
                        spans.subList(before, spans.size()).clear(); // a string or raw data, not a message
                    }
                }
                pos[0] = end;
            } else {
                return false;
            }
        }
        return pos[0] == to;
    }
}
