package dev.verity.core;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 digest; ordered byte-wise (unsigned) so it can key sorted maps. */
public final class Hash implements Comparable<Hash> {
    public static final int LENGTH = 32;
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hashCode;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
        this.hashCode = Arrays.hashCode(bytes);
    }

    public static Hash wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    public static Hash fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a hash is 64 hex characters, got: " + hex);
        }
        try {
            return new Hash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex hash: " + hex);
        }
    }

    public static Hash of(byte[] data) {
        return Sha256.digest(data);
    }

    static Hash trusted(byte[] bytes) {
        return new Hash(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the digest into {@code out} without copying it first. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** First 8 bytes as an unsigned-compatible long, for seeding deterministic choices. */
    public long prefixLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return hex();
    }
}
