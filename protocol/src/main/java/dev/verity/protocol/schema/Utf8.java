package dev.verity.protocol.schema;

/** Strict UTF-8 validation (RFC 3629) that names the first bad byte. */
final class Utf8 {
    private Utf8() {}

    /** Null when {@code b} is well-formed UTF-8 without NUL; otherwise what is wrong and at which byte. */
    static String problem(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return "byte " + i + " is NUL; text inputs may not contain it";
            }
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min;
            int cp;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min = 0x80;
                cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min = 0x800;
                cp = c & 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min = 0x10000;
                cp = c & 0x07;
            } else {
                return "byte " + i + " (0x" + hex(c) + ") cannot start a UTF-8 character";
            }
            if (i + len > b.length) {
                return "byte " + i + " (0x" + hex(c) + ") starts a " + len + "-byte UTF-8 character that the input cuts short";
            }
            for (int k = 1; k < len; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return "byte " + (i + k) + " (0x" + hex(cc) + ") should continue the UTF-8 character that starts at byte " + i;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min) {
                return "byte " + i + " starts an overlong UTF-8 encoding";
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                return "byte " + i + " encodes a UTF-16 surrogate (U+" + Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)
                        + "), which UTF-8 may not hold";
            }
            if (cp > 0x10FFFF) {
                return "byte " + i + " encodes a code point above U+10FFFF";
            }
            i += len;
        }
        return null;
    }

    private static String hex(int c) {
        String h = Integer.toHexString(c);
        return h.length() == 1 ? "0" + h : h;
    }
}
