package dev.verity.core;

import java.util.Arrays;
import java.util.HexFormat;

/** An Ed25519 signature (64 bytes). */
public final class Signature {
    public static final int LENGTH = 64;
    public static final Signature EMPTY = new Signature(new byte[LENGTH]);

    private final byte[] bytes;

    private Signature(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Signature wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature is 64 bytes, got " + bytes.length);
        }
        return new Signature(bytes.clone());
    }

    static Signature trusted(byte[] bytes) {
        return new Signature(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
