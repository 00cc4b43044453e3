package dev.verity.core.trie;

import java.security.DigestException;
import java.security.MessageDigest;

/** Stored node bytes and node hashing, on raw arrays so the hot path copies and allocates little. */
final class Nodes {
    static final byte INTERNAL = 0x01;
    static final byte LEAF = 0x02;
    /** Both node kinds: a tag and two 32-byte fields. */
    static final int SIZE = 65;
    static final int HASH = 32;

    private Nodes() {}

    /** Bit {@code i} (0 = most significant bit of the first byte) of the 32-byte path starting at {@code off}. */
    static int bit(byte[] path, int off, int i) {
        return (path[off + (i >>> 3)] >>> (7 - (i & 7))) & 1;
    }

    static boolean isZero(byte[] a, int off) {
        for (int i = off; i < off + HASH; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the leaf hash SHA-256(0x00 || keyPath || valueHash) of a stored leaf {@code [0x02][keyPath][valueHash]}. */
    static void leafHash(MessageDigest md, byte[] leaf, byte[] out, int off) {
        md.update((byte) 0x00);
        md.update(leaf, 1, 2 * HASH);
        finish(md, out, off);
    }

    /** Writes the internal hash SHA-256(0x01 || left || right): the hash of exactly the stored internal node bytes. */
    static void internalHash(MessageDigest md, byte[] internal, byte[] out, int off) {
        md.update(internal, 0, SIZE);
        finish(md, out, off);
    }

    /** Into the caller's array: a node's hash goes straight into its parent's bytes, with no array per hash. */
    private static void finish(MessageDigest md, byte[] out, int off) {
        try {
            md.digest(out, off, HASH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
    }
}
