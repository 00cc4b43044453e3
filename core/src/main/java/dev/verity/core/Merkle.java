package dev.verity.core;

import java.security.MessageDigest;
import java.util.List;

/**
 * Binary Merkle tree over leaf hashes, with domain separation so a leaf can never pass for an
 * inner node: inner = SHA-256(0x01 || left || right). A level with an odd count carries its last
 * hash up unchanged. The root of no leaves is SHA-256 of the empty string.
 */
public final class Merkle {
    private static final Hash EMPTY = Sha256.digest(new byte[0]);

    private Merkle() {}

    /** Leaf hash of an encoded entry: SHA-256(0x00 || bytes). */
    public static Hash leaf(byte[] encoded) {
        MessageDigest md = Sha256.newDigest();
        md.update((byte) 0x00);
        md.update(encoded);
        return Sha256.finish(md);
    }

    public static Hash inner(Hash left, Hash right) {
        byte[] b = new byte[1 + 2 * Hash.LENGTH];
        b[0] = 0x01;
        left.copyTo(b, 1);
        right.copyTo(b, 1 + Hash.LENGTH);
        return Sha256.digest(b);
    }

    public static Hash root(List<Hash> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return EMPTY;
        }
        Hash[] level = leaves.toArray(new Hash[0]);
        while (n > 1) {
            int next = 0;
            for (int i = 0; i < n; i += 2) {
                level[next++] = i + 1 < n ? inner(level[i], level[i + 1]) : level[i];
            }
            n = next;
        }
        return level[0];
    }
}
