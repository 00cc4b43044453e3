package dev.verity.modelhub.lm.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Reads R's serialization format ({@code saveRDS}, lazy-load databases), XDR binary, versions 2 and 3, for the
 * objects data sets are made of: character, integer and logical vectors, lists, pairlists (attributes), symbols and
 * {@code NULL}. Anything else (environments, closures, doubles, ALTREP, ...) is refused with its R type name.
 *
 * <p>The stream is a header ({@code "X\n"}, format version, writer and reader R versions, and in version 3 the
 * native encoding), then one item: an int32 of flags (type in the low byte, then the object, attribute and tag
 * bits, the CHARSXP encoding levels from bit 12) followed by its payload.
 */
public final class RSerializationReader {
    private static final int SYMSXP = 1;
    private static final int LISTSXP = 2;
    private static final int CHARSXP = 9;
    private static final int LGLSXP = 10;
    private static final int INTSXP = 13;
    private static final int STRSXP = 16;
    private static final int VECSXP = 19;
    private static final int NILVALUE_SXP = 254;
    private static final int REFSXP = 255;

    private static final int HAS_ATTRIBUTES = 1 << 9;
    private static final int HAS_TAG = 1 << 10;
    private static final int LATIN1_LEVEL = 1 << 2;
    private static final int BYTES_LEVEL = 1 << 1;

    private final ByteBuffer in;
    private final List<RValue> references = new ArrayList<>();
    private Charset nativeEncoding = StandardCharsets.UTF_8;

    private RSerializationReader(byte[] data) {
        this.in = ByteBuffer.wrap(data);
    }

    /** Reads a serialized object, inflating it first when it is gzip-compressed (as {@code saveRDS} writes it). */
    public static RValue read(byte[] data) {
        byte[] raw = isGzip(data) ? gunzip(data) : data;
        RSerializationReader reader = new RSerializationReader(raw);
        reader.readHeader();
        RValue value = reader.readItem();
        if (reader.in.hasRemaining()) {
            throw new CorpusFormatException(reader.in.remaining() + " bytes follow the serialized R object");
        }
        return value;
    }

    /**
     * Reads one entry of a lazy-load database ({@code .rdb}): a big-endian int32 of the serialized length, then the
     * zlib stream of the serialization.
     */
    public static RValue readZlibEntry(byte[] entry) {
        if (entry.length < 4) {
            throw new CorpusFormatException("lazy-load entry of " + entry.length + " bytes has no length prefix");
        }
        int expected = ByteBuffer.wrap(entry).getInt();
        if (expected < 0) {
            throw new CorpusFormatException("lazy-load entry declares a negative length " + expected);
        }
        byte[] inflated = new byte[expected];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(entry, 4, entry.length - 4);
            int n = inflater.inflate(inflated);
            if (n != expected || !inflater.finished()) {
                throw new CorpusFormatException("lazy-load entry inflates to " + (inflater.finished() ? n : "more than " + n)
                        + " bytes, its prefix says " + expected);
            }
        } catch (DataFormatException e) {
            throw new CorpusFormatException("lazy-load entry is not a zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return read(inflated);
    }

    private static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B;
    }

    private static byte[] gunzip(byte[] data) {
        try (GZIPInputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
            gzip.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new CorpusFormatException("corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private void readHeader() {
        if (in.remaining() < 2) {
            throw new CorpusFormatException("too short for an R serialization header");
        }
        int f0 = in.get() & 0xFF;
        int f1 = in.get() & 0xFF;
        if (f0 != 'X' || f1 != '\n') {
            String kind = f0 == 'A' ? "ASCII" : f0 == 'B' ? "native binary" : "unknown (" + String.format("%02X %02X", f0, f1) + ")";
            throw new CorpusFormatException("R serialization format is " + kind + "; only XDR binary (\"X\\n\") is supported");
        }
        int version = readInt();
        readInt(); // the R version that wrote it
        readInt(); // the oldest R version that can read it
        if (version == 3) {
            String encoding = new String(readBytes(readLength()), StandardCharsets.US_ASCII);
            nativeEncoding = switch (encoding.toUpperCase(java.util.Locale.ROOT)) {
                case "UTF-8", "UTF8" -> StandardCharsets.UTF_8;
                case "LATIN1", "ISO-8859-1", "ISO8859-1" -> StandardCharsets.ISO_8859_1;
                case "ASCII", "US-ASCII" -> StandardCharsets.US_ASCII;
                default -> throw new CorpusFormatException("R serialization native encoding " + encoding + " is not supported");
            };
        } else if (version != 2) {
            throw new CorpusFormatException("R serialization version " + version + " is not supported (only 2 and 3)");
        }
    }

    private RValue readItem() {
        int at = in.position();
        int flags = readInt();
        int type = flags & 0xFF;
        return switch (type) {
            case NILVALUE_SXP -> new RValue.Null();
            case REFSXP -> reference(flags);
            case SYMSXP -> symbol();
            case LISTSXP -> pairList(flags);
            case STRSXP -> {
                int length = readLength();
                List<String> values = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    values.add(charsxp());
                }
                yield new RValue.Strings(values, attributes(flags));
            }
            case INTSXP -> {
                int[] values = readInts(readLength());
                yield new RValue.Integers(values, attributes(flags));
            }
            case LGLSXP -> {
                int[] values = readInts(readLength());
                yield new RValue.Logicals(values, attributes(flags));
            }
            case VECSXP -> {
                int length = readLength();
                List<RValue> elements = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    elements.add(readItem());
                }
                yield new RValue.GenericVector(elements, attributes(flags));
            }
            default -> throw new CorpusFormatException("R object of type " + typeName(type) + " at byte " + at
                    + " is not supported; this reader handles character, integer and logical vectors, lists, "
                    + "pairlists, symbols and NULL");
        };
    }

    private RValue reference(int flags) {
        int index = flags >>> 8;
        if (index == 0) {
            index = readInt();
        }
        if (index < 1 || index > references.size()) {
            throw new CorpusFormatException("reference to R object " + index + " of " + references.size() + " read so far");
        }
        return references.get(index - 1);
    }

    private RValue symbol() {
        int flags = readInt();
        if ((flags & 0xFF) != CHARSXP) {
            throw new CorpusFormatException("a symbol's name is of type " + typeName(flags & 0xFF) + ", expected CHARSXP");
        }
        String name = charsxpPayload(flags);
        RValue symbol = new RValue.Symbol(name == null ? "NA" : name);
        references.add(symbol);
        return symbol;
    }

    /** A pairlist: cells of (attributes, tag, value) chained through their last field until NULL. */
    private RValue pairList(int firstFlags) {
        List<Map.Entry<String, RValue>> entries = new ArrayList<>();
        int flags = firstFlags;
        while (true) {
            if ((flags & HAS_ATTRIBUTES) != 0) {
                readItem(); // attributes of a pairlist cell carry nothing a data set needs
            }
            String tag = null;
            if ((flags & HAS_TAG) != 0) {
                RValue t = readItem();
                tag = t instanceof RValue.Symbol s ? s.name() : String.valueOf(t);
            }
            entries.add(new AbstractMap.SimpleImmutableEntry<>(tag, readItem()));
            int at = in.position();
            flags = readInt();
            int type = flags & 0xFF;
            if (type == NILVALUE_SXP) {
                return new RValue.PairList(entries);
            }
            if (type != LISTSXP) {
                throw new CorpusFormatException("pairlist ends in an object of type " + typeName(type) + " at byte " + at
                        + " instead of NULL");
            }
        }
    }

    private Map<String, RValue> attributes(int flags) {
        if ((flags & HAS_ATTRIBUTES) == 0) {
            return Map.of();
        }
        RValue value = readItem();
        if (!(value instanceof RValue.PairList list)) {
            throw new CorpusFormatException("attributes are a " + value.getClass().getSimpleName() + ", expected a pairlist");
        }
        Map<String, RValue> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, RValue> e : list.entries()) {
            if (e.getKey() == null) {
                throw new CorpusFormatException("an attribute has no name");
            }
            attributes.put(e.getKey(), e.getValue());
        }
        return attributes;
    }

    private String charsxp() {
        int at = in.position();
        int flags = readInt();
        if ((flags & 0xFF) != CHARSXP) {
            throw new CorpusFormatException("element of a character vector at byte " + at + " is of type "
                    + typeName(flags & 0xFF) + ", expected CHARSXP");
        }
        return charsxpPayload(flags);
    }

    /** The string of a CHARSXP whose flags were read; null for NA. */
    private String charsxpPayload(int flags) {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new CorpusFormatException("string of negative length " + length);
        }
        int at = in.position();
        byte[] bytes = readBytes(length);
        int levels = flags >>> 12;
        if ((levels & BYTES_LEVEL) != 0) {
            throw new CorpusFormatException("string at byte " + at + " is marked as raw bytes, not text");
        }
        Charset charset = (levels & LATIN1_LEVEL) != 0 ? StandardCharsets.ISO_8859_1 : nativeOr(levels);
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CorpusFormatException("string at byte " + at + " is not valid " + charset.name(), e);
        }
    }

    /** UTF-8 and ASCII strings are marked; unmarked ones are in the writer's native encoding. */
    private Charset nativeOr(int levels) {
        final int utf8Level = 1 << 3;
        final int asciiLevel = 1 << 6;
        return (levels & (utf8Level | asciiLevel)) != 0 ? StandardCharsets.UTF_8 : nativeEncoding;
    }

    private int readLength() {
        int length = readInt();
        if (length == -1) {
            throw new CorpusFormatException("long vectors (2^31 elements or more) are not supported");
        }
        if (length < 0) {
            throw new CorpusFormatException("negative length " + length + " at byte " + (in.position() - 4));
        }
        return length;
    }

    private int[] readInts(int count) {
        if ((long) count * 4 > in.remaining()) {
            throw truncated(count * 4L);
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getInt();
        }
        return values;
    }

    private int readInt() {
        if (in.remaining() < 4) {
            throw truncated(4);
        }
        return in.getInt();
    }

    private byte[] readBytes(int count) {
        if (count > in.remaining()) {
            throw truncated(count);
        }
        byte[] bytes = new byte[count];
        in.get(bytes);
        return bytes;
    }

    private CorpusFormatException truncated(long needed) {
        return new CorpusFormatException("R serialization ends early: " + needed + " bytes needed at byte "
                + in.position() + ", " + in.remaining() + " left");
    }

    /** R's name for a SEXP type, for error messages. */
    static String typeName(int type) {
        String name = switch (type) {
            case 0 -> "NILSXP";
            case 1 -> "SYMSXP";
            case 2 -> "LISTSXP";
            case 3 -> "CLOSXP";
            case 4 -> "ENVSXP";
            case 5 -> "PROMSXP";
            case 6 -> "LANGSXP";
            case 7 -> "SPECIALSXP";
            case 8 -> "BUILTINSXP";
            case 9 -> "CHARSXP";
            case 10 -> "LGLSXP";
            case 13 -> "INTSXP";
            case 14 -> "REALSXP";
            case 15 -> "CPLXSXP";
            case 16 -> "STRSXP";
            case 17 -> "DOTSXP";
            case 19 -> "VECSXP";
            case 20 -> "EXPRSXP";
            case 21 -> "BCODESXP";
            case 22 -> "EXTPTRSXP";
            case 23 -> "WEAKREFSXP";
            case 24 -> "RAWSXP";
            case 25 -> "S4SXP";
            case 238 -> "ALTREP_SXP";
            case 239 -> "ATTRLISTSXP";
            case 240 -> "ATTRLANGSXP";
            case 241 -> "BASEENV_SXP";
            case 242 -> "EMPTYENV_SXP";
            case 247 -> "PERSISTSXP";
            case 248 -> "PACKAGESXP";
            case 249 -> "NAMESPACESXP";
            case 250 -> "BASENAMESPACE_SXP";
            case 251 -> "MISSINGARG_SXP";
            case 252 -> "UNBOUNDVALUE_SXP";
            case 253 -> "GLOBALENV_SXP";
            case 254 -> "NILVALUE_SXP";
            case 255 -> "REFSXP";
            default -> "unknown";
        };
        return name + " (" + type + ")";
    }
}
