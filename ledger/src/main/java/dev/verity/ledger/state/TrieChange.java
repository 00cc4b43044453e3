package dev.verity.ledger.state;

import dev.verity.core.Hash;
import java.util.Arrays;

/**
 * One changed row as the trie sees it: its key path, and its value hash or null when deleted. Ordered by key path
 * (unsigned bytes); the first eight bytes, kept as a number, decide almost every comparison of a block's sort.
 */
record TrieChange(byte[] keyPath, Hash valueHash, long prefix) implements Comparable<TrieChange> {
    TrieChange(byte[] keyPath, Hash valueHash) {
        this(keyPath, valueHash, prefixOf(keyPath));
    }

    private static long prefixOf(byte[] keyPath) {
        long p = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            p = p << 8 | keyPath[i] & 0xFF;
        }
        return p;
    }

    @Override
    public int compareTo(TrieChange o) {
        int c = Long.compareUnsigned(prefix, o.prefix);
        return c != 0 ? c : Arrays.compareUnsigned(keyPath, o.keyPath);
    }
}
