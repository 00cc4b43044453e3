package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import java.util.Arrays;

/**
 * The storage key space: byte 0 names a table (1 to 239, see {@link dev.verity.protocol.state.StateTable}) or the
 * state trie's nodes ({@value #TRIE_NAMESPACE}); the rest is the encoded key, or the trie node's position.
 */
public final class StateKeys {
    /** First byte of every stored trie node. */
    public static final int TRIE_NAMESPACE = 0xF0;

    private StateKeys() {}

    static ByteKey tableStart(int id) {
        return new ByteKey(new byte[] {(byte) id});
    }

    static ByteKey tableEnd(int id) {
        return new ByteKey(new byte[] {(byte) (id + 1)});
    }

    /** The smallest key greater than {@code key}. */
    static ByteKey successor(ByteKey key) {
        return new ByteKey(Arrays.copyOf(key.bytes(), key.length() + 1));
    }

    /** The stored key of a trie node at {@code position}. */
    static byte[] trieNode(byte[] position) {
        byte[] out = new byte[position.length + 1];
        out[0] = (byte) TRIE_NAMESPACE;
        System.arraycopy(position, 0, out, 1, position.length);
        return out;
    }
}
