package dev.verity.proofs.attestation;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A launch measurement: 48 bytes, the size of SEV-SNP's MEASUREMENT and TDX's MRTD (both SHA-384).
 * Ordered bytewise so that it can key a sorted table.
 */
public record Measurement(byte[] bytes) implements Comparable<Measurement> {
    public static final int LENGTH = 48;

    public Measurement {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a measurement is " + LENGTH + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        bytes = bytes.clone();
    }

    public static Measurement ofHex(String hex) {
        return new Measurement(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Measurement m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Measurement o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
