package dev.verity.core.trie;

import dev.verity.core.Hash;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The result of {@link MerkleTrie#update}: the new root, and what to write to the node store to hold the new state.
 * {@code writes} maps position keys ({@link NodePosition#key()}, in {@link NodePosition#KEY_ORDER}) to node bytes,
 * or to null where the position must be deleted; positions not in it keep what they hold.
 */
public record TrieUpdate(Hash root, SortedMap<byte[], byte[]> writes) {
    public TrieUpdate {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(writes, "writes");
    }
}
