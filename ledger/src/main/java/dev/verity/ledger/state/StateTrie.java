package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.core.trie.TrieNodeStore;
import dev.verity.core.trie.TrieProof;
import dev.verity.core.trie.TrieUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * The state's authenticated trie ({@link MerkleTrie}) over a {@link StateBackend}: nodes written since the last
 * drain stay in an overlay, committed nodes are read from the backend (under {@link StateKeys#TRIE_NAMESPACE})
 * through a small cache, since every update walks down from the root and the upper levels are read by every block.
 */
final class StateTrie {
    private static final int CACHED_NODES = 1 << 18;

    private final StateBackend backend;
    /**
     * The updates since the last drain, oldest first: each holds its writes sorted by position, so a read finds a
     * written node by binary search in the newest update that wrote it, without copying every write into a map.
     */
    private final List<TrieUpdate> pending = new ArrayList<>();
    private final BoundedCache<ByteKey, byte[]> cache = new BoundedCache<>(CACHED_NODES);
    private final TrieNodeStore nodes = this::node;
    private Hash root;

    StateTrie(StateBackend backend) {
        this.backend = backend;
    }

    private byte[] node(byte[] position) {
        for (int u = pending.size() - 1; u >= 0; u--) {
            TrieUpdate update = pending.get(u);
            int i = update.indexOf(position);
            if (i >= 0) {
                return update.node(i);
            }
        }
        ByteKey key = ByteKey.wrap(position);
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

    /** Applies changed leaves, in ascending key path order. */
    void update(TrieChange[] changes) {
        byte[][] keyPaths = new byte[changes.length][];
        Hash[] valueHashes = new Hash[changes.length];
        for (int i = 0; i < changes.length; i++) {
            keyPaths[i] = changes[i].keyPath();
            valueHashes[i] = changes[i].valueHash();
        }
        TrieUpdate u = MerkleTrie.update(nodes, keyPaths, valueHashes);
        pending.add(u);
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
        for (TrieUpdate u : pending) {
            for (int i = 0; i < u.size(); i++) {
                ByteKey position = ByteKey.wrap(u.position(i));
                byte[] node = u.node(i);
                sink.write(StateKeys.trieNode(position.raw()), node);
                if (node == null) {
                    cache.remove(position);
                } else {
                    cache.put(position, node);
                }
            }
        }
        pending.clear();
    }
}
