package dev.verity.core.trie;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A {@link TrieNodeStore} in memory, ordered by position key: for tests and for pure callers. */
public final class MemoryTrieStore implements TrieNodeStore {
    private final TreeMap<byte[], byte[]> nodes = new TreeMap<>(NodePosition.KEY_ORDER);

    @Override
    public byte[] get(byte[] nodeKey) {
        return nodes.get(nodeKey);
    }

    /** Writes an update's nodes and deletes the positions it empties. */
    public void apply(TrieUpdate update) {
        for (Map.Entry<byte[], byte[]> w : update.writes().entrySet()) {
            if (w.getValue() == null) {
                nodes.remove(w.getKey());
            } else {
                nodes.put(w.getKey(), w.getValue());
            }
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Every stored node by position key, in key order (a read-only view; do not modify the arrays). */
    public SortedMap<byte[], byte[]> nodes() {
        return Collections.unmodifiableSortedMap(nodes);
    }
}
