package dev.verity.core.trie;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link TrieNodeStore} in memory, for tests and for pure callers.
 *
 * <p>Laid out for the update's access pattern, a read of every touched node among millions: an open-addressing
 * (linear probing) table whose slots are the records themselves, {@code [key length][key][node length][node]} in
 * large pages, so a read touches one record, not the several objects of a map entry. Nothing is ever iterated in
 * table order: {@link #nodes()} sorts, so the layout cannot affect a result. It holds what a trie stores: position
 * keys of 2 to 34 bytes and nodes of at most 65 bytes.
 */
public final class MemoryTrieStore implements TrieNodeStore {
    private static final int MAX_KEY = 2 + 32;
    private static final int MAX_NODE = Nodes.SIZE;
    /** 1 + 34 + 1 + 65 bytes, rounded up to 8. A key length of 0 marks a free slot. */
    private static final int RECORD = 104;
    private static final int NODE_AT = 1 + MAX_KEY;
    private static final int PAGE_SHIFT = 14;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

    private byte[][] pages;
    private int capacity;
    private int size;

    public MemoryTrieStore() {
        allocate(1 << 6);
    }

    /** A copy of the node stored at this position key, or null. */
    @Override
    public byte[] get(byte[] nodeKey) {
        if (nodeKey.length == 0 || nodeKey.length > MAX_KEY) {
            return null;
        }
        int slot = find(nodeKey);
        if (slot < 0) {
            return null;
        }
        byte[] page = pages[slot >>> PAGE_SHIFT];
        int off = (slot & PAGE_MASK) * RECORD + NODE_AT;
        return Arrays.copyOfRange(page, off + 1, off + 1 + page[off]);
    }

    /** Writes an update's nodes and deletes the positions it empties. */
    public void apply(TrieUpdate update) {
        for (int i = 0; i < update.size(); i++) {
            if (update.node(i) == null) {
                remove(update.position(i));
            } else {
                put(update.position(i), update.node(i));
            }
        }
    }

    public int size() {
        return size;
    }

    /** A sorted copy of every stored node by position key. */
    public SortedMap<byte[], byte[]> nodes() {
        TreeMap<byte[], byte[]> out = new TreeMap<>(NodePosition.KEY_ORDER);
        for (int slot = 0; slot < capacity; slot++) {
            byte[] page = pages[slot >>> PAGE_SHIFT];
            int off = (slot & PAGE_MASK) * RECORD;
            if (page[off] != 0) {
                out.put(Arrays.copyOfRange(page, off + 1, off + 1 + page[off]),
                        Arrays.copyOfRange(page, off + NODE_AT + 1, off + NODE_AT + 1 + page[off + NODE_AT]));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The slot holding this key, or {@code ~slot} of the free slot where its probe ends. */
    private int find(byte[] key) {
        int mask = capacity - 1;
        for (int slot = hash(key, 0, key.length) & mask; ; slot = (slot + 1) & mask) {
            byte[] page = pages[slot >>> PAGE_SHIFT];
            int off = (slot & PAGE_MASK) * RECORD;
            if (page[off] == 0) {
                return ~slot;
            }
            if (page[off] == key.length && Arrays.equals(page, off + 1, off + 1 + key.length, key, 0, key.length)) {
                return slot;
            }
        }
    }

    private void put(byte[] key, byte[] node) {
        if (key.length == 0 || key.length > MAX_KEY || node.length > MAX_NODE) {
            throw new IllegalArgumentException("a trie node store holds keys of 1 to " + MAX_KEY + " bytes and nodes of at most "
                    + MAX_NODE + ", got " + key.length + " and " + node.length);
        }
        if (4 * (size + 1) > 3 * capacity) {
            grow();
        }
        int slot = find(key);
        if (slot < 0) {
            slot = ~slot;
            size++;
        }
        byte[] page = pages[slot >>> PAGE_SHIFT];
        int off = (slot & PAGE_MASK) * RECORD;
        page[off] = (byte) key.length;
        System.arraycopy(key, 0, page, off + 1, key.length);
        page[off + NODE_AT] = (byte) node.length;
        System.arraycopy(node, 0, page, off + NODE_AT + 1, node.length);
    }

    private void remove(byte[] key) {
        if (key.length == 0 || key.length > MAX_KEY) {
            return;
        }
        int hole = find(key);
        if (hole < 0) {
            return;
        }
        size--;
        // Backward-shift deletion: move up each later record of the run whose probe path crosses the hole.
        int mask = capacity - 1;
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            byte[] page = pages[j >>> PAGE_SHIFT];
            int off = (j & PAGE_MASK) * RECORD;
            if (page[off] == 0) {
                break;
            }
            int home = hash(page, off + 1, page[off]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                System.arraycopy(page, off, pages[hole >>> PAGE_SHIFT], (hole & PAGE_MASK) * RECORD, RECORD);
                hole = j;
            }
        }
        pages[hole >>> PAGE_SHIFT][(hole & PAGE_MASK) * RECORD] = 0;
    }

    private void allocate(int slots) {
        capacity = slots;
        int perPage = Math.min(slots, 1 << PAGE_SHIFT);
        pages = new byte[slots / perPage][];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = new byte[perPage * RECORD];
        }
    }

    private void grow() {
        byte[][] old = pages;
        int oldCapacity = capacity;
        allocate(capacity * 2);
        int mask = capacity - 1;
        for (int s = 0; s < oldCapacity; s++) {
            byte[] from = old[s >>> PAGE_SHIFT];
            int off = (s & PAGE_MASK) * RECORD;
            if (from[off] != 0) {
                int slot = hash(from, off + 1, from[off]) & mask;
                while (pages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * RECORD] != 0) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(from, off, pages[slot >>> PAGE_SHIFT], (slot & PAGE_MASK) * RECORD, RECORD);
            }
        }
    }

    /** A content hash of a[off, off + len), mixed so that the low bits used for the slot depend on every byte. */
    private static int hash(byte[] a, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + a[i];
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
