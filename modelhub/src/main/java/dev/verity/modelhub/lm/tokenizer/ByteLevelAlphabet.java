package dev.verity.modelhub.lm.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-unicode mapping: each of the 256 byte values is shown as one printable character, so a token made
 * of arbitrary bytes is still a readable string in {@code tokenizer.json}. Printable Latin-1 bytes ({@code !} to
 * {@code ~}, {@code ¡} to {@code ¬}, {@code ®} to {@code ÿ}) stand for themselves; the other 68 (control
 * characters, space, DEL, NBSP, soft hyphen ...) become U+0100 onwards in byte order, so the space byte is
 * {@code Ġ} (U+0120) and the newline {@code Ċ} (U+010A).
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The character that stands for {@code b} (0 to 255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 if it is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level string of some bytes. */
    public static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = charOf(bytes[i]);
        }
        return new String(chars);
    }

    /** The byte-level string of a text's UTF-8 bytes. */
    public static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes a byte-level string stands for.
     *
     * @throws IllegalArgumentException if a character is not in the alphabet
     */
    public static byte[] decode(String byteLevel) {
        byte[] bytes = new byte[byteLevel.length()];
        for (int i = 0; i < bytes.length; i++) {
            int b = byteOf(byteLevel.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException(String.format("U+%04X at %d is not a byte-level character", (int) byteLevel.charAt(i), i));
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
