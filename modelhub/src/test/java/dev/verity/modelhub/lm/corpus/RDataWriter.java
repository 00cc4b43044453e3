package dev.verity.modelhub.lm.corpus;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes R's XDR serialization by hand, item by item, as R lays it out; for reader tests. */
final class RDataWriter {
    static final int UTF8 = 1 << 3;
    static final int ASCII = 1 << 6;
    static final int LATIN1 = 1 << 2;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** "X\n", the format version, writer and reader R versions, and in version 3 the native encoding. */
    RDataWriter header(int version) {
        raw("X\n".getBytes(StandardCharsets.US_ASCII));
        integer(version).integer(0x040201).integer(version == 3 ? 0x030500 : 0x020300);
        if (version == 3) {
            integer(5).raw("UTF-8".getBytes(StandardCharsets.US_ASCII));
        }
        return this;
    }

    RDataWriter flags(int type, boolean attributes, boolean tag, int levels) {
        return integer(type | (attributes ? 1 << 9 : 0) | (tag ? 1 << 10 : 0) | (levels << 12));
    }

    RDataWriter charsxp(String value, int levels) {
        flags(9, false, false, levels);
        if (value == null) {
            return integer(-1);
        }
        byte[] encoded = value.getBytes(levels == LATIN1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        return integer(encoded.length).raw(encoded);
    }

    /** A character vector without attributes. */
    RDataWriter strings(String... values) {
        flags(16, false, false, 0).integer(values.length);
        for (String v : values) {
            charsxp(v, v == null ? 0 : UTF8);
        }
        return this;
    }

    /** A {@code names} attribute pairlist whose symbol is written in full (first use). */
    RDataWriter namesAttribute(String... names) {
        flags(2, false, true, 0);
        flags(1, false, false, 0).charsxp("names", ASCII);
        strings(names);
        return nil();
    }

    /** A {@code names} attribute pairlist whose symbol is a reference to an earlier one. */
    RDataWriter namesAttributeByReference(int referenceIndex, String... names) {
        flags(2, false, true, 0);
        integer(255 | (referenceIndex << 8));
        strings(names);
        return nil();
    }

    RDataWriter nil() {
        return integer(254);
    }

    RDataWriter integer(int value) {
        try {
            out.writeInt(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    RDataWriter raw(byte[] data) {
        bytes.writeBytes(data);
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    byte[] gzipped() {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
            zip.write(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }

    /** A lazy-load database entry: big-endian length, then the zlib stream. */
    byte[] zlibEntry() {
        byte[] data = bytes();
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[data.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        return ByteBuffer.allocate(4 + n).putInt(data.length).put(buffer, 0, n).array();
    }
}
