package dev.verity.core.trie;

/**
 * Read access to the stored nodes of one trie state, by position key ({@link NodePosition#key()}).
 * The trie only reads through it; the caller applies {@link TrieUpdate#writes()} itself.
 */
public interface TrieNodeStore {
    /** The stored node bytes at this position key, or null if the position is empty. Callers must not modify them. */
    byte[] get(byte[] nodeKey);
}
