package dev.verity.core.trie;

import dev.verity.core.Hash;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of {@link MerkleTrie#update}: the new root, and what to write to the node store to hold the new state:
 * {@link #size()} writes, each a position key ({@link NodePosition#key()}, in {@link NodePosition#KEY_ORDER}) and
 * its node bytes, or null where the position must be deleted; positions not written keep what they hold. Kept as
 * two arrays, since a block writes a hundred thousand nodes and most callers only walk them once.
 */
public final class TrieUpdate {
    private final Hash root;
    private final byte[][] positions;
    private final byte[][] nodes;

    TrieUpdate(Hash root, byte[][] positions, byte[][] nodes) {
        this.root = Objects.requireNonNull(root, "root");
        if (positions.length != nodes.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + nodes.length + " nodes");
        }
        this.positions = positions;
        this.nodes = nodes;
    }

    /** An update holding {@code writes} (in key order); for tests of the stores. */
    static TrieUpdate of(Hash root, SortedMap<byte[], byte[]> writes) {
        byte[][] positions = writes.keySet().toArray(new byte[0][]);
        byte[][] nodes = writes.values().toArray(new byte[0][]);
        return new TrieUpdate(root, positions, nodes);
    }

    public Hash root() {
        return root;
    }

    public int size() {
        return positions.length;
    }

    /** The position key of write {@code i}; not to be modified. */
    public byte[] position(int i) {
        return positions[i];
    }

    /** The node of write {@code i}, or null for a delete; not to be modified. */
    public byte[] node(int i) {
        return nodes[i];
    }

    /** The index of the write at {@code position}, or a negative number when this update does not write it. */
    public int indexOf(byte[] position) {
        return Arrays.binarySearch(positions, position, NodePosition.KEY_ORDER);
    }

    /** The writes as a sorted map by position key (value null: delete), built on each call. */
    public SortedMap<byte[], byte[]> writes() {
        TreeMap<byte[], byte[]> m = new TreeMap<>(NodePosition.KEY_ORDER);
        for (int i = 0; i < positions.length; i++) {
            m.put(positions[i], nodes[i]);
        }
        return Collections.unmodifiableSortedMap(m);
    }
}
