package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Against files written by ncompress 4.2.4.6 ({@code compress -b N}). */
class UnixCompressDecoderTest {
    /** The input of the lcg*.Z vectors: letters a-h drawn with the C library's classic LCG, seed 12345. */
    static byte[] lcgLetters(int count) {
        byte[] out = new byte[count];
        long x = 12345;
        for (int i = 0; i < count; i++) {
            x = (x * 1103515245L + 12345) & 0x7fffffffL;
            out[i] = (byte) ('a' + ((x >> 16) & 7));
        }
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = UnixCompressDecoderTest.class.getResourceAsStream("/lm/compress/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Decodes a whole .Z file, header included. */
    static byte[] decodeFile(byte[] file) {
        assertThat(file[0] & 0xFF).isEqualTo(UnixCompressDecoder.MAGIC_0);
        assertThat(file[1] & 0xFF).isEqualTo(UnixCompressDecoder.MAGIC_1);
        int flags = file[2] & 0xFF;
        return UnixCompressDecoder.decode(file, 3, file.length, flags & UnixCompressDecoder.MAX_BITS_MASK,
                (flags & UnixCompressDecoder.BLOCK_MODE_FLAG) != 0);
    }

    @Test
    void decodesRepetitionsIncludingACodeUsedAsSoonAsItIsDefined() throws IOException {
        // "aaaa..." makes the encoder emit a code in the same step that defines it (the KwKwK case).
        String expected = "ab".repeat(40) + "a".repeat(50) + "TOBEORNOTTOBEORTOBEORNOT\n".repeat(3);
        assertThat(new String(decodeFile(resource("kwkwk.Z")), StandardCharsets.US_ASCII)).isEqualTo(expected);
    }

    @Test
    void followsCodeWidthGrowthAndTableClearsUpToTenBits() throws IOException {
        // 20,000 letters at 10 bits at most: the table fills and is cleared several times.
        assertThat(decodeFile(resource("lcg20000-b10.Z"))).isEqualTo(lcgLetters(20000));
    }

    @Test
    void followsCodeWidthGrowthAndTableClearsUpToTwelveBits() throws IOException {
        assertThat(decodeFile(resource("lcg30000-b12.Z"))).isEqualTo(lcgLetters(30000));
    }

    @Test
    void emptyStreamDecodesToNothing() {
        assertThat(UnixCompressDecoder.decode(new byte[0], 0, 0, 16, true)).isEmpty();
    }

    @Test
    void refusesACodeThatIsNotDefinedYet() {
        // 9-bit codes, LSB first: 'a' (97), then 300 while the next free code is 257.
        int bits = 97 | (300 << 9);
        byte[] data = {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16)};
        assertThatThrownBy(() -> UnixCompressDecoder.decode(data, 0, data.length, 16, true))
                .isInstanceOf(CorpusFormatException.class)
                .hasMessageContaining("code 300 before it is defined");
    }

    @Test
    void refusesImpossibleCodeWidthsAndRanges() {
        assertThatThrownBy(() -> UnixCompressDecoder.decode(new byte[4], 0, 4, 17, true))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("17-bit");
        assertThatThrownBy(() -> UnixCompressDecoder.decode(new byte[4], 2, 9, 16, true))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("outside");
    }
}
