package dev.verity.devtee;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A deterministic byte stream, SHA-256(seed || counter) block by block, in the shape of a
 * {@link SecureRandom} so that key generators accept it. Only for development platforms that tests
 * must rebuild identically (a golden vector's genesis); never for keys that protect anything.
 */
public final class SeededRandom extends SecureRandom {
    private final byte[] seed;
    private long counter;
    private byte[] block = new byte[0];
    private int used;

    public SeededRandom(String seed) {
        super(new byte[0]);
        this.seed = seed.getBytes(StandardCharsets.UTF_8);
    }

    /** An independent stream for one purpose, fixed by this stream's seed and the label. */
    public SeededRandom derive(String label) {
        return new SeededRandom(new String(seed, StandardCharsets.UTF_8) + "/" + label);
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (used == block.length) {
                block = nextBlock();
                used = 0;
            }
            out[i] = block[used++];
        }
    }

    @Override
    public void setSeed(long ignored) {
        // The stream depends on the constructor's seed alone.
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        byte[] out = new byte[numBytes];
        nextBytes(out);
        return out;
    }

    private byte[] nextBlock() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(seed);
            long c = counter++;
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (c >>> (8 * i)));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
