package dev.verity.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string with value semantics, usable as a map key.
 *
 * <p>Equality and hash code are by content; ordering is unsigned lexicographic, the same order
 * in which the store iterates keys. The state reads and writes keys by the hundred thousand per block, so
 * {@link #wrap} and {@link #raw} let code that owns an array skip the defensive copies, and the hash code is
 * computed once.
 */
public final class ByteKey implements Comparable<ByteKey> {
    /** Keys at least this long are hashed by {@link Arrays#hashCode(byte[])}. */
    private static final int LONG_KEY = 24;

    private final byte[] bytes;
    private int hash;

    /** A key holding a copy of {@code bytes}. */
    public ByteKey(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    private ByteKey(byte[] owned, boolean unused) {
        this.bytes = owned;
    }

    public static ByteKey of(byte[] bytes) {
        return new ByteKey(bytes);
    }

    /** A key over {@code bytes} itself, not a copy: the caller hands the array over and never changes it again. */
    public static ByteKey wrap(byte[] bytes) {
        return new ByteKey(Objects.requireNonNull(bytes, "bytes"), true);
    }

    /** Returns a copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes themselves, not a copy: for reading only (hashing, store lookups), never to be changed. */
    public byte[] raw() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public int compareTo(ByteKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
    }

    /**
     * Long keys (a table id and a hash or an id, mostly) end in bytes that are as good as random, so the JDK's fast
     * {@link Arrays#hashCode(byte[])} serves. Short ones are mixed four bytes at a time, as Murmur3 does: base 31 makes
     * short keys that differ by 1 in one byte and by -31 in the next collide exactly, and trie positions (a depth and a
     * few prefix bytes) do, which turned hash map lookups into tree searches.
     */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = bytes.length >= LONG_KEY ? Arrays.hashCode(bytes) : mix(bytes);
            hash = h;
        }
        return h;
    }

    private static int mix(byte[] b) {
        int h = b.length;
        int i = 0;
        for (; i + 4 <= b.length; i += 4) {
            int k = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15) * 0x1b873593;
            h = Integer.rotateLeft(h ^ k, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        for (int shift = 0; i < b.length; i++, shift += 8) {
            k |= (b[i] & 0xFF) << shift;
        }
        h ^= Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
