package dev.verity.inference.generate;

import dev.verity.core.Encoder;
import dev.verity.core.Sha256;

/**
 * The random numbers of one generation, from the job's 32-byte seed by SHA-256 in counter mode: draw {@code i} (the
 * one that picks generated token {@code i}) is the first 8 bytes, big-endian, of
 * {@code SHA-256(string "verity.generate.draw.v1" || seed || u64 i)} in core {@code Encoder} conventions. Each draw
 * depends on its index alone, so one token's draw can be checked without replaying the others.
 */
public final class SeedStream {
    /** The seed length in bytes. */
    public static final int SEED_BYTES = 32;
    static final String TAG = "verity.generate.draw.v1";

    private final byte[] seed;

    public SeedStream(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("the sampling seed must be " + SEED_BYTES + " bytes, got "
                    + (seed == null ? "none" : seed.length));
        }
        this.seed = seed.clone();
    }

    /** Draw {@code index}, a uniform 64-bit value (read as unsigned). */
    public long draw(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("draw index must not be negative, got " + index);
        }
        byte[] h = Sha256.digest(new Encoder(64).string(TAG).fixed(seed).u64(index).toByteArray()).bytes();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return v;
    }
}
