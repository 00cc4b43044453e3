package dev.verity.protocol.schema;

/** IEEE-754 binary32 values judged by their bit patterns, with integer arithmetic only. */
final class Float32 {
    private static final int EXPONENT_MASK = 0x7F80_0000;
    private static final int FRACTION_MASK = 0x007F_FFFF;

    private Float32() {}

    static int bitsAt(byte[] le, int index) {
        int o = 4 * index;
        return (le[o] & 0xFF) | (le[o + 1] & 0xFF) << 8 | (le[o + 2] & 0xFF) << 16 | (le[o + 3] & 0xFF) << 24;
    }

    static boolean isFinite(int bits) {
        return (bits & EXPONENT_MASK) != EXPONENT_MASK;
    }

    static String nonFiniteName(int bits) {
        if ((bits & FRACTION_MASK) != 0) {
            return "NaN (float32 bits 0x" + hex(bits) + ")";
        }
        return bits < 0 ? "-Infinity" : "+Infinity";
    }

    /** A key whose signed order is the numeric order of finite values; -0 and +0 get the same key. */
    static long orderKey(int bits) {
        long magnitude = bits & 0x7FFF_FFFF;
        return bits < 0 ? -magnitude : magnitude;
    }

    static String hex(int bits) {
        String h = Integer.toHexString(bits);
        return "0".repeat(8 - h.length()) + h;
    }
}
