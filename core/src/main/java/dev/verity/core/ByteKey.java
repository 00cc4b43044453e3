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

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
