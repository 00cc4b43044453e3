package dev.verity.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string with value semantics, usable as a map key.
 *
 * <p>Equality and hash code are by content; ordering is unsigned lexicographic, the same order
 * in which the store iterates keys.
 */
public record ByteKey(byte[] bytes) implements Comparable<ByteKey> {

    public ByteKey {
        bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    public static ByteKey of(byte[] bytes) {
        return new ByteKey(bytes);
    }

    /** Returns a copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
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
        return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
