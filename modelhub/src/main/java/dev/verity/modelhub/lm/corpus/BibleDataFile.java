package dev.verity.modelhub.lm.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /usr/lib/bible.data} of the Debian {@code bible-kjv-text} package: the text of the Bible Retrieval
 * System, cut into fixed-size blocks that are each compressed with Unix {@code compress}, so the reader can seek.
 *
 * <p>Layout, big-endian (as the file holds it; the package documents no format):
 * <pre>
 *   0   "EC02" then a description ("Compressed Data File"), NUL-padded to 80 bytes
 *   80  int32  reserved (0)
 *   84  int32  uncompressed block size (65536)
 *   88  int32  block count n
 *   92  int32  n + 1 file offsets: block i is the LZW code stream in [offset[i], offset[i+1])
 *   ..  the three-byte compress header (1F 9D, then max bits and block mode) that all blocks share
 * </pre>
 * Every block but the last decodes to exactly the block size; the decoded text is plain ASCII.
 */
public final class BibleDataFile {
    static final String MAGIC = "EC02";
    private static final int HEADER_TEXT_BYTES = 80;

    private BibleDataFile() {
    }

    /** The whole decoded text of the file. */
    public static String read(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (CorpusFormatException e) {
            throw new CorpusFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes the bytes of a {@code bible.data} file. */
    public static String decode(byte[] file) {
        if (file.length < HEADER_TEXT_BYTES + 12
                || !new String(file, 0, 4, StandardCharsets.US_ASCII).equals(MAGIC)) {
            throw new CorpusFormatException("not a Bible Retrieval System data file: it does not start with \"" + MAGIC + "\"");
        }
        ByteBuffer header = ByteBuffer.wrap(file);
        int blockSize = header.getInt(HEADER_TEXT_BYTES + 4);
        int blockCount = header.getInt(HEADER_TEXT_BYTES + 8);
        int tableStart = HEADER_TEXT_BYTES + 12;
        int tableEnd = tableStart + 4 * (blockCount + 1);
        if (blockSize <= 0 || blockCount <= 0 || tableEnd + 3 > file.length) {
            throw new CorpusFormatException("block table of " + blockCount + " blocks of " + blockSize
                    + " bytes does not fit in the " + file.length + "-byte file");
        }
        int magic0 = file[tableEnd] & 0xFF;
        int magic1 = file[tableEnd + 1] & 0xFF;
        int flags = file[tableEnd + 2] & 0xFF;
        if (magic0 != UnixCompressDecoder.MAGIC_0 || magic1 != UnixCompressDecoder.MAGIC_1) {
            throw new CorpusFormatException(String.format(
                    "expected the compress header 1F 9D after the block table at byte %d, found %02X %02X",
                    tableEnd, magic0, magic1));
        }
        int maxBits = flags & UnixCompressDecoder.MAX_BITS_MASK;
        boolean blockMode = (flags & UnixCompressDecoder.BLOCK_MODE_FLAG) != 0;

        ByteArrayOutputStream text = new ByteArrayOutputStream(blockSize * blockCount);
        for (int block = 0; block < blockCount; block++) {
            int start = header.getInt(tableStart + 4 * block);
            int end = header.getInt(tableStart + 4 * (block + 1));
            if (start < tableEnd + 3 || end < start || end > file.length) {
                throw new CorpusFormatException("block " + block + " spans [" + start + ", " + end
                        + "), outside the data of the " + file.length + "-byte file");
            }
            byte[] decoded = UnixCompressDecoder.decode(file, start, end, maxBits, blockMode);
            boolean last = block == blockCount - 1;
            if (last ? decoded.length > blockSize : decoded.length != blockSize) {
                throw new CorpusFormatException("block " + block + " decodes to " + decoded.length
                        + " bytes, expected " + (last ? "at most " : "") + blockSize);
            }
            text.writeBytes(decoded);
        }
        byte[] bytes = text.toByteArray();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                throw new CorpusFormatException("decoded text has a non-ASCII byte at offset " + i);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
