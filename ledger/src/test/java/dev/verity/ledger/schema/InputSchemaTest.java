package dev.verity.protocol.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The input schemas the ledger checks at submission: every kind accepts what it declares and refuses the rest
 * with a message naming the first offending element or byte. The UTF-8 check is compared with Java's strict
 * decoder (plus the NUL rule), the float range check with IEEE-754 float comparison, on random inputs; the
 * encoding round-trips.
 */
class InputSchemaTest {
    /** The default chain input limit ({@code Params.defaults().maxInputBytes()}). */
    static final int CHAIN_LIMIT = 64 * 1024;
    static final int QUIET_NAN = 0x7FC0_0000;
    static final int SIGNALLING_NAN = 0x7F80_0001;
    static final int NEGATIVE_NAN = 0xFFC0_0001;
    static final int PLUS_INF = 0x7F80_0000;
    static final int MINUS_INF = 0xFF80_0000;
    static final int MINUS_ZERO = 0x8000_0000;

    static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    static byte[] floats(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(4 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] floats(float... values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = bits(values[i]);
        }
        return floats(bits);
    }

    static byte[] u32s(long... ids) {
        ByteBuffer b = ByteBuffer.allocate(4 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putInt((int) id);
        }
        return b.array();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------- UTF-8 text

    static final InputSchema.Utf8Text TEXT = new InputSchema.Utf8Text(1, 64);

    @Test
    void textAcceptsWellFormedUtf8WithinItsLength() {
        assertThat(TEXT.problem(utf8("hello"))).isNull();
        assertThat(TEXT.problem(utf8("h\u00e9llo \u20ac \ud834\udd1e \uffff \udbff\udfff"))).as("1- to 4-byte forms, U+FFFF, U+10FFFF")
                .isNull();
        assertThat(TEXT.problem(utf8("a"))).as("the minimum length").isNull();
        assertThat(TEXT.problem(utf8("x".repeat(64)))).as("the maximum length").isNull();
        assertThat(TEXT.problem(utf8("\u0001\u007f\u0080\u07ff\u0800\ud7ff\ue000"))).as("every boundary code point").isNull();
        assertThat(new InputSchema.Utf8Text(0, 4).problem(new byte[0])).as("empty text when the schema allows it").isNull();
    }

    @Test
    void textOfTheWrongLengthIsRefused() {
        assertThat(TEXT.problem(new byte[0])).isEqualTo("the text is 0 bytes; this model takes 1 to 64 bytes of UTF-8");
        assertThat(TEXT.problem(utf8("x".repeat(65)))).isEqualTo("the text is 65 bytes; this model takes 1 to 64 bytes of UTF-8");
        assertThat(new InputSchema.Utf8Text(3, 8).problem(utf8("ab"))).contains("the text is 2 bytes", "3 to 8 bytes");
        // the length counts bytes, not characters: 22 euro signs are 66 bytes
        assertThat(TEXT.problem(utf8("\u20ac".repeat(22)))).contains("66 bytes");
        InputSchema.Utf8Text max = new InputSchema.Utf8Text(1, CHAIN_LIMIT);
        assertThat(max.problem(utf8("y".repeat(CHAIN_LIMIT)))).as("an input of the chain's whole limit").isNull();
        assertThat(max.problem(utf8("y".repeat(CHAIN_LIMIT + 1)))).contains(CHAIN_LIMIT + 1 + " bytes");
    }

    @Test
    void overlongFormsAreRefusedAtTheirFirstByte() {
        assertThat(TEXT.problem(bytes(0xC0, 0x80))).isEqualTo("byte 0 (0xc0) cannot start a UTF-8 character");
        assertThat(TEXT.problem(bytes('a', 0xC1, 0xBF))).isEqualTo("byte 1 (0xc1) cannot start a UTF-8 character");
        assertThat(TEXT.problem(bytes('a', 'b', 0xE0, 0x80, 0x80))).isEqualTo("byte 2 starts an overlong UTF-8 encoding");
        assertThat(TEXT.problem(bytes(0xE0, 0x9F, 0xBF))).as("U+07FF in three bytes").isEqualTo("byte 0 starts an overlong UTF-8 encoding");
        assertThat(TEXT.problem(bytes('z', 0xF0, 0x8F, 0xBF, 0xBF))).as("U+FFFF in four bytes")
                .isEqualTo("byte 1 starts an overlong UTF-8 encoding");
        assertThat(TEXT.problem(bytes(0xF0, 0x80, 0x80, 0x80))).isEqualTo("byte 0 starts an overlong UTF-8 encoding");
    }

    @Test
    void surrogatesAreRefused() {
        assertThat(TEXT.problem(bytes(0xED, 0xA0, 0x80))).isEqualTo(
                "byte 0 encodes a UTF-16 surrogate (U+D800), which UTF-8 may not hold");
        assertThat(TEXT.problem(concat(utf8("ok "), bytes(0xED, 0xBF, 0xBF)))).isEqualTo(
                "byte 3 encodes a UTF-16 surrogate (U+DFFF), which UTF-8 may not hold");
        // a surrogate pair encoded as two three-byte sequences (CESU-8) is not UTF-8 either
        assertThat(TEXT.problem(bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80))).startsWith("byte 0 encodes a UTF-16 surrogate (U+D83D)");
        assertThat(TEXT.problem(bytes(0xED, 0x9F, 0xBF))).as("U+D7FF, just below the surrogates").isNull();
        assertThat(TEXT.problem(bytes(0xEE, 0x80, 0x80))).as("U+E000, just above").isNull();
    }

    @Test
    void truncatedAndBrokenSequencesAreRefused() {
        assertThat(TEXT.problem(concat(utf8("ab"), bytes(0xE2, 0x82)))).isEqualTo(
                "byte 2 (0xe2) starts a 3-byte UTF-8 character that the input cuts short");
        assertThat(TEXT.problem(bytes(0xC3))).isEqualTo("byte 0 (0xc3) starts a 2-byte UTF-8 character that the input cuts short");
        assertThat(TEXT.problem(bytes(0xF0, 0x9F, 0x98))).isEqualTo(
                "byte 0 (0xf0) starts a 4-byte UTF-8 character that the input cuts short");
        assertThat(TEXT.problem(bytes(0xE2, 0x28, 0xA1))).isEqualTo(
                "byte 1 (0x28) should continue the UTF-8 character that starts at byte 0");
        assertThat(TEXT.problem(concat(utf8("\u00e9"), bytes(0xF0, 0x9F, 0x98, 0x41)))).isEqualTo(
                "byte 5 (0x41) should continue the UTF-8 character that starts at byte 2");
        assertThat(TEXT.problem(bytes('a', 0x80))).as("a lone continuation byte").isEqualTo(
                "byte 1 (0x80) cannot start a UTF-8 character");
        assertThat(TEXT.problem(bytes(0xBF))).isEqualTo("byte 0 (0xbf) cannot start a UTF-8 character");
    }

    @Test
    void bytesThatNeverOccurInUtf8AreRefused() {
        for (int b : new int[] {0xC0, 0xC1, 0xF5, 0xF6, 0xF7, 0xF8, 0xFB, 0xFC, 0xFE, 0xFF}) {
            assertThat(TEXT.problem(concat(utf8("abc"), bytes(b, 0x80, 0x80, 0x80))))
                    .as("byte 0x%02x", b).isEqualTo("byte 3 (0x" + Integer.toHexString(b) + ") cannot start a UTF-8 character");
        }
        assertThat(TEXT.problem(bytes(0xF4, 0x90, 0x80, 0x80))).as("U+110000").isEqualTo(
                "byte 0 encodes a code point above U+10FFFF");
        assertThat(TEXT.problem(bytes(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isNull();
    }

    @Test
    void nulIsRefusedWhereverItIs() {
        assertThat(TEXT.problem(bytes(0))).isEqualTo("byte 0 is NUL; text inputs may not contain it");
        assertThat(TEXT.problem(utf8("abc\u0000def"))).isEqualTo("byte 3 is NUL; text inputs may not contain it");
        assertThat(TEXT.problem(utf8("abcdef\u0000"))).isEqualTo("byte 6 is NUL; text inputs may not contain it");
        // the first problem is named: a NUL before a bad byte, a bad byte before a NUL
        assertThat(TEXT.problem(concat(bytes('a', 0), bytes(0xFF)))).startsWith("byte 1 is NUL");
        assertThat(TEXT.problem(concat(bytes('a', 0xFF), bytes(0)))).startsWith("byte 1 (0xff)");
        // the overlong NUL (Java's "modified UTF-8") is refused as overlong
        assertThat(TEXT.problem(bytes(0xC0, 0x80))).startsWith("byte 0 (0xc0) cannot start");
    }

    /** The reference: Java's strict UTF-8 decoder, plus the NUL rule; the index of the first bad byte, or -1. */
    static int oracleFirstBadByte(byte[] b) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(2 * b.length + 2);
        CoderResult r = decoder.decode(in, out, true);
        int malformed = r.isError() ? in.position() : -1;
        if (!r.isError()) {
            CoderResult flushed = decoder.flush(out);
            assertThat(flushed.isError()).isFalse();
        }
        int nul = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                nul = i;
                break;
            }
        }
        if (malformed < 0) {
            return nul;
        }
        return nul < 0 ? malformed : Math.min(nul, malformed);
    }

    private static final Pattern STARTS_AT = Pattern.compile("the UTF-8 character that starts at byte (\\d+)");
    private static final Pattern FIRST_BYTE = Pattern.compile("^byte (\\d+)\\b");

    /** The byte where the refused character starts, as the message names it. */
    static int namedStart(String problem) {
        Matcher m = STARTS_AT.matcher(problem);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        m = FIRST_BYTE.matcher(problem);
        assertThat(m.find()).as("the message names a byte: %s", problem).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static void agreesWithTheOracle(byte[] b) {
        InputSchema.Utf8Text schema = new InputSchema.Utf8Text(0, Integer.MAX_VALUE);
        String problem = schema.problem(b);
        int expected = oracleFirstBadByte(b);
        if (expected < 0) {
            assertThat(problem).as("%s is valid UTF-8 without NUL", Arrays.toString(b)).isNull();
        } else {
            assertThat(problem).as("%s is refused at byte %d", Arrays.toString(b), expected).isNotNull();
            assertThat(namedStart(problem)).as("%s: %s", Arrays.toString(b), problem).isEqualTo(expected);
        }
    }

    /** Bytes drawn mostly from the interesting classes: ASCII, NUL, continuation bytes, every kind of lead byte. */
    static final Gen<Byte> UTF8ISH_BYTE = Generate.frequency(List.of(
            Pair.of(10, Generate.range(0x01, 0x7F)),
            Pair.of(1, Generate.constant(0)),
            Pair.of(10, Generate.range(0x80, 0xBF)),
            Pair.of(4, Generate.range(0xC0, 0xDF)),
            Pair.of(4, Generate.range(0xE0, 0xEF)),
            Pair.of(3, Generate.range(0xF0, 0xF7)),
            Pair.of(1, Generate.range(0xF8, 0xFF)))).map(Integer::byteValue);

    @Test
    void theUtf8CheckAgreesWithJavasStrictDecoderOnRandomBytes() {
        qt().withExamples(20_000).forAll(Generate.byteArrays(integers().between(0, 24), UTF8ISH_BYTE))
                .checkAssert(InputSchemaTest::agreesWithTheOracle);
        qt().withExamples(5_000).forAll(Generate.byteArrays(integers().between(0, 16),
                        Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
                .checkAssert(InputSchemaTest::agreesWithTheOracle);
    }

    /** Any code point but a surrogate, U+0000 included. */
    static final Gen<Integer> CODE_POINT = Generate.frequency(List.of(
            Pair.of(4, integers().between(0, 0x7F)),
            Pair.of(2, integers().between(0x80, 0x7FF)),
            Pair.of(2, integers().between(0x800, 0xFFFF - 0x800).map(cp -> cp >= 0xD800 ? cp + 0x800 : cp)),
            Pair.of(2, integers().between(0x10000, 0x10FFFF))));

    static final Gen<String> STRINGS = lists().of(CODE_POINT).ofSizeBetween(0, 20).map(cps -> {
        StringBuilder sb = new StringBuilder();
        cps.forEach(sb::appendCodePoint);
        return sb.toString();
    });

    @Test
    void theUtf8CheckAgreesWithJavasStrictDecoderOnRandomStringsAndTheirCorruptions() {
        qt().withExamples(5_000).forAll(STRINGS).checkAssert(s -> {
            byte[] b = utf8(s);
            String problem = new InputSchema.Utf8Text(0, Integer.MAX_VALUE).problem(b);
            int nul = s.indexOf('\u0000');
            if (nul < 0) {
                assertThat(problem).as("\"%s\"", s).isNull();
            } else {
                assertThat(problem).isEqualTo("byte " + utf8(s.substring(0, nul)).length + " is NUL; text inputs may not contain it");
            }
            agreesWithTheOracle(b);
        });
        // the same strings with one byte replaced, or cut short
        qt().withExamples(10_000).forAll(STRINGS.assuming(s -> !s.isEmpty()), integers().between(0, Integer.MAX_VALUE),
                integers().between(0, 255), Generate.booleans()).checkAssert((s, where, value, cut) -> {
                    byte[] b = utf8(s);
                    int at = where % b.length;
                    byte[] changed = cut ? Arrays.copyOf(b, at) : b.clone();
                    if (!cut) {
                        changed[at] = (byte) (int) value;
                    }
                    agreesWithTheOracle(changed);
                });
    }

    // ------------------------------------------------------------------------------- float32 tensors

    /** Four values in [-1, 1]. */
    static final InputSchema.Float32Tensor UNIT = new InputSchema.Float32Tensor(List.of(4), bits(-1f), bits(1f));

    @Test
    void tensorsOfFiniteValuesInRangeAreAccepted() {
        assertThat(UNIT.problem(floats(0f, 0.5f, -0.25f, 1f))).isNull();
        assertThat(UNIT.problem(floats(-1f, 1f, -1f, 1f))).as("both bounds are inside").isNull();
        assertThat(UNIT.problem(floats(Float.MIN_VALUE, -Float.MIN_VALUE, Float.intBitsToFloat(0x007F_FFFF), Float.MIN_NORMAL)))
                .as("subnormals are numbers").isNull();
        assertThat(UNIT.problem(floats(-0f, 0f, -0f, 0f))).as("both zeros").isNull();
        InputSchema.Float32Tensor matrix = new InputSchema.Float32Tensor(List.of(2, 3), bits(-1e6f), bits(1e6f));
        assertThat(matrix.elementCount()).isEqualTo(6);
        assertThat(matrix.byteLimit()).isEqualTo(24);
        assertThat(matrix.problem(floats(1e6f, -1e6f, 3f, 4f, 5f, 6f))).isNull();
    }

    @Test
    void nanAndInfinitiesAreRefusedNamingTheElement() {
        assertThat(UNIT.problem(floats(bits(0f), bits(0f), QUIET_NAN, bits(0f)))).isEqualTo(
                "element 2 of 4 is NaN (float32 bits 0x7fc00000); this model takes finite values");
        assertThat(UNIT.problem(floats(SIGNALLING_NAN, bits(0f), bits(0f), bits(0f)))).isEqualTo(
                "element 0 of 4 is NaN (float32 bits 0x7f800001); this model takes finite values");
        assertThat(UNIT.problem(floats(bits(0f), NEGATIVE_NAN, bits(0f), bits(0f)))).isEqualTo(
                "element 1 of 4 is NaN (float32 bits 0xffc00001); this model takes finite values");
        assertThat(UNIT.problem(floats(bits(0f), bits(0f), bits(0f), 0x7FFF_FFFF))).startsWith("element 3 of 4 is NaN");
        assertThat(UNIT.problem(floats(bits(0f), PLUS_INF, bits(0f), bits(0f)))).isEqualTo(
                "element 1 of 4 is +Infinity; this model takes finite values");
        assertThat(UNIT.problem(floats(bits(0f), bits(0f), bits(0f), MINUS_INF))).isEqualTo(
                "element 3 of 4 is -Infinity; this model takes finite values");
        // the first offending element is the one named
        assertThat(UNIT.problem(floats(bits(0f), bits(2f), QUIET_NAN, PLUS_INF))).startsWith("element 1 of 4 (float32 bits 0x40000000)");
        assertThat(UNIT.problem(floats(bits(0f), QUIET_NAN, bits(2f), PLUS_INF))).startsWith("element 1 of 4 is NaN");
        // even a range as wide as the floats refuses them
        InputSchema.Float32Tensor all = new InputSchema.Float32Tensor(List.of(1), bits(-Float.MAX_VALUE), bits(Float.MAX_VALUE));
        assertThat(all.problem(floats(Float.MAX_VALUE))).isNull();
        assertThat(all.problem(floats(-Float.MAX_VALUE))).isNull();
        assertThat(all.problem(floats(PLUS_INF))).contains("+Infinity");
        assertThat(all.problem(floats(MINUS_INF))).contains("-Infinity");
        assertThat(all.problem(floats(QUIET_NAN))).contains("NaN");
    }

    @Test
    void valuesOneUlpOutsideEitherBoundAreRefused() {
        assertThat(UNIT.problem(floats(0f, Math.nextUp(1f), 0f, 0f))).isEqualTo(
                "element 1 of 4 (float32 bits 0x3f800001) is outside the declared range [0xbf800000, 0x3f800000] (float32 bits)");
        assertThat(UNIT.problem(floats(0f, 0f, Math.nextDown(-1f), 0f))).isEqualTo(
                "element 2 of 4 (float32 bits 0xbf800001) is outside the declared range [0xbf800000, 0x3f800000] (float32 bits)");
        assertThat(UNIT.problem(floats(Math.nextDown(1f), Math.nextUp(-1f), 0f, 0f))).as("one ulp inside").isNull();
        // bounds that are not round numbers, and negative ranges
        float lo = -3.3f;
        float hi = -0.1f;
        InputSchema.Float32Tensor negative = new InputSchema.Float32Tensor(List.of(1), bits(lo), bits(hi));
        assertThat(negative.problem(floats(lo))).isNull();
        assertThat(negative.problem(floats(hi))).isNull();
        assertThat(negative.problem(floats(Math.nextDown(lo)))).contains("outside the declared range");
        assertThat(negative.problem(floats(Math.nextUp(hi)))).contains("outside the declared range");
        assertThat(negative.problem(floats(0f))).contains("outside the declared range");
        assertThat(negative.problem(floats(3.3f))).as("the magnitude is in range, not the value").contains("outside");
    }

    @Test
    void minusZeroEqualsPlusZeroAndSubnormalsAreJudgedAsNumbers() {
        InputSchema.Float32Tensor zero = new InputSchema.Float32Tensor(List.of(1), bits(0f), bits(0f));
        assertThat(zero.problem(floats(0f))).isNull();
        assertThat(zero.problem(floats(-0f))).as("-0 == +0").isNull();
        assertThat(zero.problem(floats(Float.MIN_VALUE))).contains("outside");
        assertThat(zero.problem(floats(-Float.MIN_VALUE))).contains("outside");
        InputSchema.Float32Tensor fromMinusZero = new InputSchema.Float32Tensor(List.of(1), MINUS_ZERO, bits(1f));
        assertThat(fromMinusZero.declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(fromMinusZero.problem(floats(0f))).isNull();
        assertThat(fromMinusZero.problem(floats(-0f))).isNull();
        assertThat(fromMinusZero.problem(floats(-Float.MIN_VALUE))).as("the smallest negative subnormal is below -0").contains("outside");
        InputSchema.Float32Tensor upToMinusZero = new InputSchema.Float32Tensor(List.of(1), bits(-1f), MINUS_ZERO);
        assertThat(upToMinusZero.problem(floats(0f))).as("+0 is not above -0").isNull();
        assertThat(upToMinusZero.problem(floats(Float.MIN_VALUE))).contains("outside");
        InputSchema.Float32Tensor normalsOnly = new InputSchema.Float32Tensor(List.of(1), bits(Float.MIN_NORMAL), bits(1f));
        assertThat(normalsOnly.problem(floats(Float.MIN_NORMAL))).isNull();
        assertThat(normalsOnly.problem(floats(Float.intBitsToFloat(0x007F_FFFF)))).as("the largest subnormal").contains("outside");
        InputSchema.Float32Tensor subnormals = new InputSchema.Float32Tensor(List.of(2), bits(-Float.MIN_VALUE), bits(Float.MIN_VALUE));
        assertThat(subnormals.problem(floats(-Float.MIN_VALUE, Float.MIN_VALUE))).isNull();
        assertThat(subnormals.problem(floats(Float.MIN_VALUE, Float.intBitsToFloat(2)))).startsWith("element 1 of 2");
    }

    @Test
    void tensorsOfTheWrongSizeAreRefused() {
        assertThat(UNIT.problem(new byte[0])).isEqualTo(
                "this model takes a float32 tensor of shape [4]: 4 values, 16 bytes; got 0 bytes");
        assertThat(UNIT.problem(new byte[15])).contains("got 15 bytes");
        assertThat(UNIT.problem(new byte[17])).contains("got 17 bytes");
        assertThat(UNIT.problem(floats(0f, 0f, 0f))).contains("got 12 bytes");
        assertThat(UNIT.problem(floats(0f, 0f, 0f, 0f, 0f))).contains("got 20 bytes");
        InputSchema.Float32Tensor image = new InputSchema.Float32Tensor(List.of(1, 3, 2, 2), bits(0f), bits(1f));
        assertThat(image.problem(new byte[48])).isNull();
        assertThat(image.problem(new byte[44])).isEqualTo(
                "this model takes a float32 tensor of shape [1, 3, 2, 2]: 12 values, 48 bytes; got 44 bytes");
    }

    @Test
    void aTensorOfTheChainsWholeInputLimitIsAccepted() {
        InputSchema.Float32Tensor biggest = new InputSchema.Float32Tensor(List.of(CHAIN_LIMIT / 4), bits(-1f), bits(1f));
        assertThat(biggest.declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(biggest.byteLimit()).isEqualTo(CHAIN_LIMIT);
        byte[] input = new byte[CHAIN_LIMIT];
        assertThat(biggest.problem(input)).isNull();
        ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).putInt(CHAIN_LIMIT - 4, QUIET_NAN);
        assertThat(biggest.problem(input)).startsWith("element " + (CHAIN_LIMIT / 4 - 1) + " of " + CHAIN_LIMIT / 4 + " is NaN");
    }

    /** Finite float32 bit patterns, often special ones. */
    static final Gen<Integer> FINITE_BITS = Generate.frequency(List.of(
            Pair.of(6, integers().all().assuming(b -> Float.isFinite(Float.intBitsToFloat(b)))),
            Pair.of(3, Generate.pick(List.of(0, MINUS_ZERO, 1, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0080_0000, 0x8080_0000,
                    bits(1f), bits(-1f), bits(Float.MAX_VALUE), bits(-Float.MAX_VALUE)))),
            Pair.of(3, integers().between(-1000, 1000).map(i -> bits((float) i / 8)))));

    /** A range, and values near its bounds or anywhere (NaN and infinities included). */
    record RangeCase(int minBits, int maxBits, int[] values) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[" + Float.intBitsToFloat(minBits) + ", " + Float.intBitsToFloat(maxBits) + "]:");
            for (int v : values) {
                sb.append(' ').append(Float.intBitsToFloat(v)).append("/0x").append(Integer.toHexString(v));
            }
            return sb.toString();
        }
    }

    static Gen<Integer> near(int bound) {
        return integers().between(-3, 3).map(d -> bound + d);
    }

    static final Gen<RangeCase> RANGE_CASES = FINITE_BITS.zip(FINITE_BITS, (a, b) ->
            Float.compare(Float.intBitsToFloat(a), Float.intBitsToFloat(b)) <= 0 ? new int[] {a, b} : new int[] {b, a})
            .flatMap(r -> Generate.intArrays(integers().between(1, 8), Generate.frequency(List.of(
                    Pair.of(3, near(r[0])), Pair.of(3, near(r[1])), Pair.of(2, FINITE_BITS), Pair.of(2, integers().all()),
                    Pair.of(1, Generate.pick(List.of(QUIET_NAN, SIGNALLING_NAN, NEGATIVE_NAN, PLUS_INF, MINUS_INF, 0, MINUS_ZERO))))))
                    .map(values -> new RangeCase(r[0], r[1], values)));

    @Test
    void theRangeCheckAgreesWithFloatComparisonOnRandomBits() {
        qt().withExamples(20_000).forAll(RANGE_CASES).checkAssert(c -> {
            float min = Float.intBitsToFloat(c.minBits());
            float max = Float.intBitsToFloat(c.maxBits());
            InputSchema.Float32Tensor schema = new InputSchema.Float32Tensor(List.of(c.values().length), c.minBits(), c.maxBits());
            assertThat(schema.declarationProblem(CHAIN_LIMIT)).isNull();
            int firstBad = -1;
            for (int i = 0; i < c.values().length && firstBad < 0; i++) {
                float v = Float.intBitsToFloat(c.values()[i]);
                if (!Float.isFinite(v) || !(v >= min && v <= max)) {
                    firstBad = i;
                }
            }
            String problem = schema.problem(floats(c.values()));
            if (firstBad < 0) {
                assertThat(problem).isNull();
            } else {
                float v = Float.intBitsToFloat(c.values()[firstBad]);
                assertThat(problem).startsWith("element " + firstBad + " of " + c.values().length + " ")
                        .contains(Float.isFinite(v) ? "is outside the declared range" : Float.isNaN(v) ? "is NaN" : "Infinity");
            }
        });
    }

    // ------------------------------------------------------------------------------- token ids

    static final InputSchema.TokenIds TOKENS = new InputSchema.TokenIds(8, 32_000);

    @Test
    void tokenIdsBelowTheVocabularyAreAccepted() {
        assertThat(TOKENS.problem(u32s(1, 2, 3))).isNull();
        assertThat(TOKENS.problem(u32s(0))).isNull();
        assertThat(TOKENS.problem(u32s(31_999))).as("vocabulary - 1").isNull();
        assertThat(TOKENS.problem(u32s(5, 5, 5, 5, 5, 5, 5, 31_999))).as("exactly maxTokens").isNull();
        InputSchema.TokenIds widest = new InputSchema.TokenIds(1, 0xFFFF_FFFFL);
        assertThat(widest.problem(u32s(0xFFFF_FFFEL))).as("ids are unsigned").isNull();
        assertThat(widest.problem(u32s(0x8000_0000L))).isNull();
    }

    @Test
    void tokenIdsAtOrAboveTheVocabularyAreRefusedNamingTheToken() {
        assertThat(TOKENS.problem(u32s(1, 2, 32_000))).isEqualTo("token 2 is id 32000, outside the vocabulary of 32000 ids");
        assertThat(TOKENS.problem(u32s(40_000, 32_000))).isEqualTo("token 0 is id 40000, outside the vocabulary of 32000 ids");
        assertThat(TOKENS.problem(u32s(7, 0xFFFF_FFFFL))).as("a negative int is a large unsigned id")
                .isEqualTo("token 1 is id 4294967295, outside the vocabulary of 32000 ids");
        assertThat(new InputSchema.TokenIds(1, 0xFFFF_FFFFL).problem(u32s(0xFFFF_FFFFL))).contains("token 0 is id 4294967295");
        assertThat(new InputSchema.TokenIds(4, 1).problem(u32s(0, 0, 1))).isEqualTo("token 2 is id 1, outside the vocabulary of 1 ids");
    }

    @Test
    void tooManyTokensOrBytesThatAreNotWholeTokensAreRefused() {
        assertThat(TOKENS.problem(u32s(1, 1, 1, 1, 1, 1, 1, 1, 1))).isEqualTo(
                "this model takes 1 to 8 token ids of 4 bytes each; got 36 bytes");
        assertThat(TOKENS.problem(new byte[0])).isEqualTo("this model takes 1 to 8 token ids of 4 bytes each; got 0 bytes");
        assertThat(TOKENS.problem(new byte[5])).contains("got 5 bytes");
        assertThat(TOKENS.problem(new byte[3])).contains("got 3 bytes");
        InputSchema.TokenIds biggest = new InputSchema.TokenIds(CHAIN_LIMIT / 4, 50_000);
        assertThat(biggest.declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(biggest.byteLimit()).isEqualTo(CHAIN_LIMIT);
        assertThat(biggest.problem(new byte[CHAIN_LIMIT])).as("the chain's whole input limit").isNull();
    }

    @Test
    void theTokenCheckAgreesWithUnsignedComparisonOnRandomIds() {
        qt().withExamples(5_000).forAll(longs().between(1, 0xFFFF_FFFFL), Generate.intArrays(integers().between(1, 8),
                integers().all())).checkAssert((vocab, ids) -> {
                    long[] asLongs = Arrays.stream(ids).mapToLong(Integer::toUnsignedLong).toArray();
                    int firstBad = -1;
                    for (int i = 0; i < asLongs.length && firstBad < 0; i++) {
                        firstBad = asLongs[i] >= vocab ? i : -1;
                    }
                    String problem = new InputSchema.TokenIds(8, vocab).problem(u32s(asLongs));
                    if (firstBad < 0) {
                        assertThat(problem).isNull();
                    } else {
                        assertThat(problem).isEqualTo("token " + firstBad + " is id " + asLongs[firstBad]
                                + ", outside the vocabulary of " + vocab + " ids");
                    }
                });
    }

    // ------------------------------------------------------------------------------- declarations

    @Test
    void validDeclarationsPass() {
        assertThat(new InputSchema.Utf8Text(0, 1).declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(new InputSchema.Utf8Text(1, CHAIN_LIMIT).declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(new InputSchema.Utf8Text(CHAIN_LIMIT, CHAIN_LIMIT).declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(new InputSchema.Float32Tensor(List.of(1, 1, 1, 1, 1, 1, 1, 1), bits(0f), bits(0f))
                .declarationProblem(CHAIN_LIMIT)).as("rank 8, one value").isNull();
        assertThat(new InputSchema.Float32Tensor(List.of(1, 2, 3), MINUS_ZERO, 0).declarationProblem(CHAIN_LIMIT))
                .as("[-0, +0] is one value").isNull();
        assertThat(new InputSchema.Float32Tensor(List.of(1, 2, 3), 0, MINUS_ZERO).declarationProblem(CHAIN_LIMIT))
                .as("[+0, -0] too: -0 == +0").isNull();
        assertThat(new InputSchema.TokenIds(1, 1).declarationProblem(CHAIN_LIMIT)).isNull();
        assertThat(new InputSchema.TokenIds(CHAIN_LIMIT / 4, 0xFFFF_FFFFL).declarationProblem(CHAIN_LIMIT)).isNull();
    }

    @Test
    void badTextDeclarationsAreRefused() {
        for (InputSchema.Utf8Text t : List.of(new InputSchema.Utf8Text(-1, 10), new InputSchema.Utf8Text(0, 0),
                new InputSchema.Utf8Text(11, 10), new InputSchema.Utf8Text(1, CHAIN_LIMIT + 1),
                new InputSchema.Utf8Text(CHAIN_LIMIT + 1, CHAIN_LIMIT + 1))) {
            assertThat(t.declarationProblem(CHAIN_LIMIT)).as("%s", t)
                    .startsWith("a text schema needs 0 <= minBytes <= maxBytes, 1 <= maxBytes <= " + CHAIN_LIMIT)
                    .endsWith("got " + t.minBytes() + ".." + t.maxBytes());
        }
        assertThat(new InputSchema.Utf8Text(1, 100).declarationProblem(99)).as("under a smaller chain limit").isNotNull();
    }

    @Test
    void badTensorDeclarationsAreRefused() {
        int lo = bits(-1f);
        int hi = bits(1f);
        assertThat(new InputSchema.Float32Tensor(List.of(), lo, hi).declarationProblem(CHAIN_LIMIT))
                .isEqualTo("a tensor schema has 1 to 8 dimensions, got 0");
        assertThat(new InputSchema.Float32Tensor(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), lo, hi).declarationProblem(CHAIN_LIMIT))
                .isEqualTo("a tensor schema has 1 to 8 dimensions, got 9");
        for (List<Integer> shape : List.of(List.of(0), List.of(4, 0, 4), List.of(-1), List.of(2, -3),
                List.of(CHAIN_LIMIT / 4 + 1), List.of(128, 129), List.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE),
                List.of(65_536, 65_536, 65_536, 65_536))) {
            InputSchema.Float32Tensor t = new InputSchema.Float32Tensor(shape, lo, hi);
            assertThat(t.declarationProblem(CHAIN_LIMIT)).as("shape %s", shape).isEqualTo("a tensor of shape " + shape
                    + " must have positive dimensions and fit the chain's input limit of " + CHAIN_LIMIT + " bytes");
        }
        String range = "a tensor schema's range must be two finite float32 values, min <= max";
        for (int[] r : new int[][] {{QUIET_NAN, hi}, {lo, SIGNALLING_NAN}, {MINUS_INF, hi}, {lo, PLUS_INF}, {MINUS_INF, PLUS_INF},
                {hi, lo}, {bits(Math.nextUp(0f)), 0}, {0, bits(-Float.MIN_VALUE)}}) {
            assertThat(new InputSchema.Float32Tensor(List.of(4), r[0], r[1]).declarationProblem(CHAIN_LIMIT))
                    .as("range [0x%08x, 0x%08x]", r[0], r[1]).isEqualTo(range);
        }
    }

    @Test
    void badTokenDeclarationsAreRefused() {
        for (InputSchema.TokenIds t : List.of(new InputSchema.TokenIds(0, 100), new InputSchema.TokenIds(-1, 100),
                new InputSchema.TokenIds(CHAIN_LIMIT / 4 + 1, 100), new InputSchema.TokenIds(Integer.MAX_VALUE, 100),
                new InputSchema.TokenIds(8, 0), new InputSchema.TokenIds(8, -1), new InputSchema.TokenIds(8, 0x1_0000_0000L))) {
            assertThat(t.declarationProblem(CHAIN_LIMIT)).as("%s", t).isEqualTo("a token schema needs 1 <= maxTokens with "
                    + "4 * maxTokens <= " + CHAIN_LIMIT + " and a vocabulary of 1 to 2^32-1 ids");
        }
    }

    @Test
    void everyKindDescribesItself() {
        assertThat(new InputSchema.Utf8Text(1, 4096).describe()).isEqualTo("UTF-8 text, 1 to 4096 bytes");
        assertThat(UNIT.describe()).isEqualTo("float32 tensor [4], finite values in [0xbf800000, 0x3f800000] (float32 bits)");
        assertThat(TOKENS.describe()).isEqualTo("1 to 8 token ids (u32 LE) below 32000");
        assertThat(List.of(new InputSchema.Utf8Text(1, 2).kind(), UNIT.kind(), TOKENS.kind())).containsExactly(1, 2, 3);
    }

    // ------------------------------------------------------------------------------- encoding

    static final Gen<Integer> U31 = integers().between(0, Integer.MAX_VALUE).mix(integers().between(0, 70_000), 50);

    static final Gen<InputSchema> SCHEMAS = Generate.oneOf(
            U31.zip(U31, InputSchema.Utf8Text::new),
            lists().of(U31).ofSizeBetween(0, InputSchema.MAX_RANK).zip(integers().all(), integers().all(),
                    InputSchema.Float32Tensor::new),
            U31.zip(longs().between(0, 0xFFFF_FFFFL), InputSchema.TokenIds::new),
            longs().between(0, 0xFFFF_FFFFL).zip(U31, U31, (v, c, m) -> new InputSchema.TokenGeneration(v, c, m, c * 3L, m * 5L)));

    static InputSchema decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        InputSchema s = InputSchema.read(d);
        d.end("input schema");
        return s;
    }

    @Test
    void randomSchemasRoundTripThroughTheEncoding() {
        qt().withExamples(3_000).forAll(SCHEMAS).checkAssert(s -> {
            byte[] bytes = InputSchema.encode(s);
            assertThat(bytes[0] & 0xFF).isEqualTo(s.kind());
            InputSchema back = decode(bytes);
            assertThat(back).isEqualTo(s);
            assertThat(InputSchema.encode(back)).as("one schema, one encoding").isEqualTo(bytes);
            Encoder e = new Encoder();
            InputSchema.write(e, s);
            assertThat(e.toByteArray()).isEqualTo(bytes);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> decode(prefix)).isExactlyInstanceOf(DecodingException.class);
            }
        });
    }

    @Test
    void theEncodingIsAsDocumented() {
        assertThat(InputSchema.encode(new InputSchema.Utf8Text(1, 4096))).isEqualTo(bytes(1, 0, 0, 0, 1, 0, 0, 0x10, 0));
        assertThat(InputSchema.encode(new InputSchema.Float32Tensor(List.of(1, 16), bits(-1f), bits(1f)))).isEqualTo(bytes(
                2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 16, 0xBF, 0x80, 0, 0, 0x3F, 0x80, 0, 0));
        assertThat(InputSchema.encode(new InputSchema.TokenIds(512, 0xFFFF_FFFFL))).isEqualTo(bytes(
                3, 0, 0, 2, 0, 0xFF, 0xFF, 0xFF, 0xFF));
        assertThat(InputSchema.encode(new InputSchema.TokenGeneration(2048, 128, 64, 7, 0x0102))).isEqualTo(bytes(
                4, 0, 0, 8, 0, 0, 0, 0, 128, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 1, 2));
    }

    @Test
    void malformedSchemaBytesAreRefused() {
        for (int kind : new int[] {0, 5, 9, 255}) {
            assertThatThrownBy(() -> decode(bytes(kind, 0, 0, 0, 1, 0, 0, 0, 1)))
                    .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("unknown input schema kind " + kind);
        }
        assertThatThrownBy(() -> decode(bytes(1, 0x80, 0, 0, 0, 0, 0, 0, 1))).as("min bytes above 2^31 - 1")
                .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("min bytes 2147483648 is out of range");
        assertThatThrownBy(() -> decode(bytes(3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1)))
                .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("max tokens");
        assertThatThrownBy(() -> decode(bytes(2, 0, 0, 0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
                .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("dimension");
        Encoder rank9 = new Encoder().u8(2).list(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), (x, d) -> x.u32(d)).u32(0).u32(0);
        assertThatThrownBy(() -> decode(rank9.toByteArray())).isExactlyInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> decode(concat(InputSchema.encode(TOKENS), bytes(0)))).isExactlyInstanceOf(DecodingException.class)
                .hasMessageContaining("trailing");
    }
}
