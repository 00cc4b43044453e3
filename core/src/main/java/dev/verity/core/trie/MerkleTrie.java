package dev.verity.core.trie;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The authenticated state trie: a binary, compacted sparse Merkle trie over 256-bit key paths, updated in
 * batches, with proofs of presence and absence. Its root is consensus: this comment is the specification.
 *
 * <h2>Structure</h2>
 * <ul>
 *   <li>A key path is 32 bytes, normally {@code SHA-256(storage key)}; the caller computes it. Bit 0 is the most
 *       significant bit of byte 0, bit 255 the least significant bit of byte 31. At depth {@code d} a path goes
 *       left if its bit {@code d} is 0, right if it is 1. Each key path holds one value hash (32 bytes).</li>
 *   <li>Empty subtree hash: 32 zero bytes ({@link Hash#ZERO}).</li>
 *   <li>Leaf hash: {@code SHA-256(0x00 || keyPath || valueHash)}.</li>
 *   <li>Internal hash: {@code SHA-256(0x01 || leftHash || rightHash)}.</li>
 *   <li>Compaction: a subtree that holds exactly one leaf is that leaf, placed at the top of the subtree (the
 *       shallowest position where it is alone). Every internal node has at least two leaves beneath it; one of its
 *       children may be empty while the other is internal (two keys sharing a longer prefix make a chain of such
 *       nodes down to the depth where they part). Nothing else is compacted.</li>
 *   <li>So the root of no keys is {@code Hash.ZERO}, the root of one key is its leaf hash, and the root is a function
 *       of the set of (keyPath, valueHash) pairs alone, whatever the order and batching of the updates.</li>
 * </ul>
 *
 * <h2>Storage</h2>
 * Nodes are stored by position ({@link NodePosition}): key {@code [depth u16 big-endian][ceil(depth/8) bytes of
 * the path's first depth bits, unused low bits zero]}, depth 0..256, root {@code 00 00}. Node bytes: internal
 * {@code [0x01][leftHash 32][rightHash 32]} (exactly the preimage of its hash), leaf {@code [0x02][keyPath 32]
 * [valueHash 32]}. Empty positions are not stored. The set of stored positions is a function of the key set too.
 *
 * <h2>Updates</h2>
 * {@link #update} applies a batch in one recursive pass down the positions the changes reach, reading nodes
 * through a {@link TrieNodeStore} that holds the current state and hashing each touched node once; it never writes
 * the store, but returns the root and the positions to write or delete. Cost: about changes x log2(size) node
 * reads and hashes.
 *
 * <h2>Proofs</h2>
 * {@link #prove} walks the key path from the root and returns a {@link TrieProof}: the sibling hashes from the root
 * down, and how the path ends (an empty position, or a leaf: the key itself or another key sharing the prefix).
 *
 * <p>Stateless; all methods are static.
 */
public final class MerkleTrie {
    /** Bits in a key path, and the deepest position. */
    public static final int KEY_BITS = 256;

    private static final byte[] ROOT_KEY = NodePosition.ROOT.key();

    private MerkleTrie() {}

    /**
     * Applies {@code changes} (key path to new value hash, or to null to delete; deleting an absent key does
     * nothing) to the state that {@code store} holds. The store is only read; apply the returned writes to it
     * before the next update.
     *
     * @throws IllegalArgumentException if the map is not in ascending key order (use natural {@link Hash} order)
     * @throws IllegalStateException if the store lacks a node that its parent refers to
     */
    public static TrieUpdate update(TrieNodeStore store, SortedMap<Hash, Hash> changes) {
        byte[][] keyPaths = new byte[changes.size()][];
        Hash[] valueHashes = new Hash[changes.size()];
        int i = 0;
        for (Map.Entry<Hash, Hash> e : changes.entrySet()) {
            keyPaths[i] = e.getKey().bytes();
            valueHashes[i++] = e.getValue();
        }
        return new TrieUpdater(store, keyPaths, valueHashes).run();
    }

    /**
     * As {@link #update(TrieNodeStore, SortedMap)}, for changes already in arrays: {@code keyPaths[i]} (32 bytes,
     * ascending unsigned order, not modified) gets {@code valueHashes[i]}, or is deleted where that is null.
     */
    public static TrieUpdate update(TrieNodeStore store, byte[][] keyPaths, Hash[] valueHashes) {
        if (keyPaths.length != valueHashes.length) {
            throw new IllegalArgumentException(keyPaths.length + " key paths but " + valueHashes.length + " values");
        }
        return new TrieUpdater(store, keyPaths, valueHashes).run();
    }

    /** The root of the state the store holds: {@link Hash#ZERO} when empty. */
    public static Hash root(TrieNodeStore store) {
        byte[] root = store.get(ROOT_KEY);
        return root == null ? Hash.ZERO : hashOf(checked(root, NodePosition.ROOT.key()));
    }

    /** The proof of {@code keyPath}'s value, or of its absence, in the state the store holds. */
    public static TrieProof prove(TrieNodeStore store, Hash keyPath) {
        byte[] path = keyPath.bytes();
        List<Hash> siblings = new ArrayList<>();
        byte[] node = store.get(ROOT_KEY);
        int depth = 0;
        while (node != null && checked(node, NodePosition.key(path, 0, depth))[0] == Nodes.INTERNAL) {
            if (depth == KEY_BITS) {
                throw new IllegalStateException("the store has an internal node at depth " + KEY_BITS);
            }
            int side = Nodes.bit(path, 0, depth);
            siblings.add(hashAt(node, 1 + (1 - side) * Nodes.HASH));
            boolean emptyChild = Nodes.isZero(node, 1 + side * Nodes.HASH);
            depth++;
            node = emptyChild ? null : store.get(NodePosition.key(path, 0, depth));
            if (!emptyChild && node == null) {
                throw new IllegalStateException("the store has no node at position " + NodePosition.of(keyPath, depth)
                        + " that its parent refers to");
            }
        }
        TrieProof.Terminal end = node == null
                ? new TrieProof.Empty()
                : new TrieProof.Leaf(hashAt(node, 1), hashAt(node, 1 + Nodes.HASH));
        return new TrieProof(siblings, end);
    }

    public static Hash leafHash(Hash keyPath, Hash valueHash) {
        byte[] leaf = new byte[Nodes.SIZE];
        keyPath.copyTo(leaf, 1);
        valueHash.copyTo(leaf, 1 + Nodes.HASH);
        return Sha256.finish(digest(leaf, (byte) 0x00));
    }

    public static Hash internalHash(Hash left, Hash right) {
        byte[] node = new byte[Nodes.SIZE];
        left.copyTo(node, 1);
        right.copyTo(node, 1 + Nodes.HASH);
        return Sha256.finish(digest(node, Nodes.INTERNAL));
    }

    /** The hash of stored node bytes. */
    static Hash hashOf(byte[] node) {
        MessageDigest md = Sha256.newDigest();
        byte[] hash = new byte[Nodes.HASH];
        if (node[0] == Nodes.LEAF) {
            Nodes.leafHash(md, node, hash, 0);
        } else {
            Nodes.internalHash(md, node, hash, 0);
        }
        return Hash.wrap(hash);
    }

    private static MessageDigest digest(byte[] node, byte tag) {
        MessageDigest md = Sha256.newDigest();
        md.update(tag);
        md.update(node, 1, 2 * Nodes.HASH);
        return md;
    }

    private static Hash hashAt(byte[] node, int off) {
        return Nodes.isZero(node, off) ? Hash.ZERO : Hash.wrap(Arrays.copyOfRange(node, off, off + Nodes.HASH));
    }

    private static byte[] checked(byte[] node, byte[] pos) {
        if (node.length != Nodes.SIZE || node[0] != Nodes.LEAF && node[0] != Nodes.INTERNAL) {
            throw new IllegalStateException("the store holds no valid node at position " + NodePosition.fromKey(pos));
        }
        return node;
    }
}
