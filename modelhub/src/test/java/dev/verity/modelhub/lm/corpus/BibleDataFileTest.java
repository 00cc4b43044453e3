package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A synthetic file in the layout of bible-kjv-text's bible.data, with real compress streams as its blocks. */
class BibleDataFileTest {
    private static final String BLOCK_TEXT = "ab".repeat(40) + "a".repeat(50) + "TOBEORNOTTOBEORTOBEORNOT\n".repeat(3);

    /** The header, a block table, the shared compress header, then each block's code stream. */
    static byte[] bibleData(int blockSize, byte[]... codeStreams) {
        int tableStart = 92;
        int dataStart = tableStart + 4 * (codeStreams.length + 1) + 3;
        ByteBuffer file = ByteBuffer.allocate(dataStart + Arrays.stream(codeStreams).mapToInt(b -> b.length).sum());
        file.put("EC02Compressed Data File".getBytes(StandardCharsets.US_ASCII));
        file.position(80);
        file.putInt(0).putInt(blockSize).putInt(codeStreams.length);
        int offset = dataStart;
        file.putInt(offset);
        for (byte[] stream : codeStreams) {
            offset += stream.length;
            file.putInt(offset);
        }
        file.put(new byte[] {(byte) 0x1F, (byte) 0x9D, (byte) 0x90});
        for (byte[] stream : codeStreams) {
            file.put(stream);
        }
        return file.array();
    }

    private static byte[] kwkwkCodes() throws IOException {
        byte[] z = UnixCompressDecoderTest.resource("kwkwk.Z");
        return Arrays.copyOfRange(z, 3, z.length);
    }

    @Test
    void concatenatesTheDecodedBlocks() throws IOException {
        byte[] codes = kwkwkCodes();
        byte[] file = bibleData(BLOCK_TEXT.length(), codes, codes);
        assertThat(BibleDataFile.decode(file)).isEqualTo(BLOCK_TEXT + BLOCK_TEXT);
    }

    @Test
    void theLastBlockMayBeShort() throws IOException {
        byte[] codes = kwkwkCodes();
        byte[] file = bibleData(BLOCK_TEXT.length() + 10, codes);
        assertThat(BibleDataFile.decode(file)).isEqualTo(BLOCK_TEXT);
    }

    @Test
    void aBlockOfTheWrongSizeIsRefused() throws IOException {
        byte[] codes = kwkwkCodes();
        byte[] file = bibleData(BLOCK_TEXT.length() + 10, codes, codes);
        assertThatThrownBy(() -> BibleDataFile.decode(file))
                .isInstanceOf(CorpusFormatException.class)
                .hasMessageContaining("block 0 decodes to " + BLOCK_TEXT.length() + " bytes");
    }

    @Test
    void otherFilesAreRefused() throws IOException {
        assertThatThrownBy(() -> BibleDataFile.decode("plain text, not a data file at all, long enough for a header"
                .repeat(3).getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("EC02");
        byte[] file = bibleData(BLOCK_TEXT.length(), kwkwkCodes());
        file[file.length - kwkwkCodes().length - 3] = 0x42; // break the compress header
        assertThatThrownBy(() -> BibleDataFile.decode(file))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("1F 9D");
        ByteArrayOutputStream truncated = new ByteArrayOutputStream();
        truncated.write(bibleData(BLOCK_TEXT.length(), kwkwkCodes()), 0, 100);
        assertThatThrownBy(() -> BibleDataFile.decode(truncated.toByteArray()))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("does not fit");
    }
}
