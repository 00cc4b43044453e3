package dev.verity.modelhub.lm.corpus;

import java.io.ByteArrayOutputStream;

/**
 * Decodes the LZW stream of the Unix {@code compress} program (the {@code .Z} format), which the Debian
 * {@code bible-kjv-text} package uses for each block of its text.
 *
 * <p>Codes are written least-significant bit first, starting at 9 bits and growing to {@code maxBits}. Code 256 clears
 * the table (block mode). {@code compress} writes codes in groups of eight, so whenever the code width changes or the
 * table is cleared the reader skips to the end of the current group of eight codes: that padding is part of the
 * format, not an error.
 */
public final class UnixCompressDecoder {
    /** The first two bytes of a {@code .Z} file. */
    public static final int MAGIC_0 = 0x1F;
    public static final int MAGIC_1 = 0x9D;
    /** In the third header byte: the maximum code width (low five bits) and the block-mode flag. */
    public static final int MAX_BITS_MASK = 0x1F;
    public static final int BLOCK_MODE_FLAG = 0x80;

    private static final int INITIAL_BITS = 9;
    private static final int CLEAR_CODE = 256;

    private UnixCompressDecoder() {
    }

    /**
     * Decodes {@code data[from, to)}, a code stream without the three-byte header.
     *
     * @param maxBits   the largest code width, 9 to 16, from the header
     * @param blockMode whether code 256 clears the table, from the header
     * @throws CorpusFormatException if the stream refers to a code that does not exist yet
     */
    public static byte[] decode(byte[] data, int from, int to, int maxBits, boolean blockMode) {
        if (maxBits < INITIAL_BITS || maxBits > 16) {
            throw new CorpusFormatException("compress stream declares " + maxBits + "-bit codes; only 9 to 16 exist");
        }
        if (from < 0 || to > data.length || from > to) {
            throw new CorpusFormatException("compress stream range [" + from + ", " + to + ") lies outside the "
                    + data.length + "-byte file");
        }
        int tableSize = 1 << maxBits;
        int[] prefix = new int[tableSize];
        byte[] suffix = new byte[tableSize];
        for (int c = 0; c < 256; c++) {
            suffix[c] = (byte) c;
        }
        byte[] stack = new byte[tableSize];
        ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * 3);

        long endBit = (long) (to - from) * 8;
        long position = 0;      // bit position relative to `from`
        long groupStart = 0;    // where the current group-of-eight alignment counts from
        int width = INITIAL_BITS;
        int maxCode = (1 << width) - 1;
        int nextFree = blockMode ? CLEAR_CODE + 1 : CLEAR_CODE;
        int previous = -1;
        int lastFirstByte = 0;
        while (true) {
            if (nextFree > maxCode && width < maxBits) {
                position = alignToGroup(position, groupStart, width);
                groupStart = position;
                width++;
                maxCode = (1 << width) - 1;
                continue;
            }
            if (position + width > endBit) {
                break;
            }
            int code = readCode(data, from, position, width);
            position += width;
            if (previous == -1) {
                if (code >= 256) {
                    throw new CorpusFormatException("compress stream starts with code " + code + "; the first code must be a byte");
                }
                previous = code;
                lastFirstByte = code;
                out.write(code);
                continue;
            }
            if (code == CLEAR_CODE && blockMode) {
                position = alignToGroup(position, groupStart, width);
                groupStart = position;
                width = INITIAL_BITS;
                maxCode = (1 << width) - 1;
                nextFree = CLEAR_CODE;
                continue;
            }
            int current = code;
            int depth = 0;
            if (code >= nextFree) {
                if (code > nextFree) {
                    throw new CorpusFormatException("compress stream uses code " + code + " before it is defined (next is "
                            + nextFree + ") at bit " + (position - width));
                }
                stack[depth++] = (byte) lastFirstByte; // the KwKwK case: the new string is the previous one plus its first byte
                current = previous;
            }
            while (current >= 256) {
                stack[depth++] = suffix[current];
                current = prefix[current];
            }
            lastFirstByte = current;
            stack[depth++] = (byte) current;
            while (depth > 0) {
                out.write(stack[--depth]);
            }
            if (nextFree < tableSize) {
                prefix[nextFree] = previous;
                suffix[nextFree] = (byte) lastFirstByte;
                nextFree++;
            }
            previous = code;
        }
        return out.toByteArray();
    }

    /** Rounds up to the end of the group of eight codes of {@code width} bits that started at {@code groupStart}. */
    private static long alignToGroup(long position, long groupStart, int width) {
        long groupBits = 8L * width;
        long used = position - groupStart;
        long rounded = (used + groupBits - 1) / groupBits * groupBits;
        return groupStart + rounded;
    }

    private static int readCode(byte[] data, int from, long bitPosition, int width) {
        int byteIndex = from + (int) (bitPosition >>> 3);
        int shift = (int) (bitPosition & 7);
        int value = 0;
        for (int i = 0; i < 3 && byteIndex + i < data.length; i++) {
            value |= (data[byteIndex + i] & 0xFF) << (8 * i);
        }
        return (value >>> shift) & ((1 << width) - 1);
    }
}
