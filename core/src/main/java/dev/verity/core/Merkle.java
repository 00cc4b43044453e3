package dev.verity.core;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary Merkle tree over leaf hashes, with domain separation so a leaf can never pass for an
 * inner node: inner = SHA-256(0x01 || left || right). A level with an odd count carries its last
 * hash up unchanged. The root of no leaves is SHA-256 of the empty string.
 *
 * <p>An inclusion proof ({@link #path}) lists the siblings met on the way from a leaf to the root,
 * bottom-up. A level where the node is the odd last one has no sibling (the node is carried up), so
 * it adds nothing to the path; the verifier knows where that happens from the leaf count, which is
 * why {@link #verify} takes it.
 */
public final class Merkle {
    private static final Hash EMPTY = Sha256.digest(new byte[0]);

    private Merkle() {}

    /** Leaf hash of an encoded entry: SHA-256(0x00 || bytes). */
    public static Hash leaf(byte[] encoded) {
        return leaf(Sha256.newDigest(), encoded);
    }

    /** {@link #leaf(byte[])} with a digest the caller reuses over many leaves. */
    public static Hash leaf(MessageDigest md, byte[] encoded) {
        md.update((byte) 0x00);
        md.update(encoded);
        return Sha256.finish(md);
    }

    /** The leaf hash of what {@code encoded} holds, with a digest the caller reuses. */
    public static Hash leaf(MessageDigest md, Encoder encoded) {
        md.update((byte) 0x00);
        encoded.digestInto(md);
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
        // One digest and one buffer for every inner node: a block's events root hashes tens of thousands.
        MessageDigest md = Sha256.newDigest();
        byte[] b = new byte[1 + 2 * Hash.LENGTH];
        b[0] = 0x01;
        while (n > 1) {
            int next = 0;
            for (int i = 0; i < n; i += 2) {
                if (i + 1 < n) {
                    level[i].copyTo(b, 1);
                    level[i + 1].copyTo(b, 1 + Hash.LENGTH);
                    level[next++] = Sha256.finish(md, b);
                } else {
                    level[next++] = level[i];
                }
            }
            n = next;
        }
        return level[0];
    }

    /**
     * The inclusion proof of leaf {@code index}: its siblings from the bottom level up, skipping the
     * levels where it is carried up without one.
     */
    public static List<Hash> path(List<Hash> leaves, int index) {
        int n = leaves.size();
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("leaf index " + index + " outside a tree of " + n + " leaves");
        }
        Hash[] level = leaves.toArray(new Hash[0]);
        List<Hash> path = new ArrayList<>();
        int at = index;
        while (n > 1) {
            int sibling = at ^ 1;
            if (sibling < n) {
                path.add(level[sibling]);
            }
            int next = 0;
            for (int i = 0; i < n; i += 2) {
                level[next++] = i + 1 < n ? inner(level[i], level[i + 1]) : level[i];
            }
            n = next;
            at >>= 1;
        }
        return List.copyOf(path);
    }

    /**
     * Whether {@code path} proves that {@code leafHash} is leaf {@code index} of a tree of {@code leafCount}
     * leaves with root {@code root}. False (never an exception) for a wrong path length, an index out of
     * range or any mismatch.
     */
    public static boolean verify(Hash root, int leafCount, int index, Hash leafHash, List<Hash> path) {
        if (root == null || leafHash == null || path == null || leafCount < 1 || index < 0 || index >= leafCount) {
            return false;
        }
        Hash node = leafHash;
        int n = leafCount;
        int at = index;
        int used = 0;
        while (n > 1) {
            int sibling = at ^ 1;
            if (sibling < n) {
                if (used == path.size()) {
                    return false;
                }
                Hash s = path.get(used++);
                if (s == null) {
                    return false;
                }
                node = (at & 1) == 0 ? inner(node, s) : inner(s, node);
            }
            n = (n + 1) / 2;
            at >>= 1;
        }
        return used == path.size() && node.equals(root);
    }
}
