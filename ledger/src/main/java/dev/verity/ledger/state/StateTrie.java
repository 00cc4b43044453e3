package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.core.trie.TrieNodeStore;
import dev.verity.core.trie.TrieProof;
import dev.verity.core.trie.TrieUpdate;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state's authenticated trie ({@link MerkleTrie}) over a {@link StateBackend}: nodes written since the last
 * drain stay in an overlay, committed nodes are read from the backend (under {@link StateKeys#TRIE_NAMESPACE})
 * through a small cache, since every update walks down from the root and the upper levels are read by every block.
 */
final class StateTrie {
    private static final int CACHED_NODES = 1 << 18;
    private static final byte[] DELETED = new byte[0];

    private final StateBackend backend;
    /** Node writes since the last drain, by position; {@link #DELETED} marks a removed node. */
    private final TreeMap<ByteKey, byte[]> overlay = new TreeMap<>();
    private final LruCache<ByteKey, byte[]> cache = new LruCache<>(CACHED_NODES);
    private final TrieNodeStore nodes = this::node;
    private Hash root;

    StateTrie(StateBackend backend) {
        this.backend = backend;
    }

    private byte[] node(byte[] position) {
        ByteKey key = new ByteKey(position);
        byte[] written = overlay.get(key);
        if (written != null) {
            return written == DELETED ? null : written;
        }
        byte[] cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] stored = backend.get(StateKeys.trieNode(position));
        if (stored != null) {
            cache.put(key, stored);
        }
        return stored;
    }

    /** Applies changed leaves: key path to value hash, null for a deleted row. */
    void update(SortedMap<Hash, Hash> changes) {
        TrieUpdate u = MerkleTrie.update(nodes, changes);
        for (Map.Entry<byte[], byte[]> w : u.writes().entrySet()) {
            ByteKey position = new ByteKey(w.getKey());
            overlay.put(position, w.getValue() == null ? DELETED : w.getValue());
            cache.remove(position);
        }
        root = u.root();
    }

    Hash root() {
        if (root == null) {
            root = MerkleTrie.root(nodes);
        }
        return root;
    }

    TrieProof prove(Hash keyPath) {
        return MerkleTrie.prove(nodes, keyPath);
    }

    void drain(StateSink sink) {
        for (Map.Entry<ByteKey, byte[]> w : overlay.entrySet()) {
            byte[] value = w.getValue() == DELETED ? null : w.getValue();
            sink.write(StateKeys.trieNode(w.getKey().bytes()), value);
            if (value != null) {
                cache.put(w.getKey(), value);
            }
        }
        overlay.clear();
    }
}
