package dev.verity.core.trie;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A node position: the first {@code depth} bits (0..256) of a key path. Its store key is
 * {@code [depth u16 big-endian][ceil(depth/8) bytes of the prefix, unused low bits zero]}; the root is depth 0,
 * key {@code 00 00}.
 */
public record NodePosition(int depth, byte[] prefix) {
    /** The order of {@link TrieUpdate#writes()} and {@link MemoryTrieStore}: unsigned lexicographic. */
    public static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    public static final NodePosition ROOT = new NodePosition(0, new byte[0]);

    public NodePosition {
        if (depth < 0 || depth > MerkleTrie.KEY_BITS) {
            throw new IllegalArgumentException("a position depth is 0.." + MerkleTrie.KEY_BITS + ", got " + depth);
        }
        if (prefix.length != prefixLength(depth)) {
            throw new IllegalArgumentException("depth " + depth + " needs a " + prefixLength(depth) + "-byte prefix, got " + prefix.length);
        }
        if (depth % 8 != 0 && (prefix[prefix.length - 1] & (0xFF >>> (depth % 8))) != 0) {
            throw new IllegalArgumentException("the prefix has bits set beyond depth " + depth);
        }
        prefix = prefix.clone();
    }

    /** The position at {@code depth} on the way to {@code keyPath}. */
    public static NodePosition of(Hash keyPath, int depth) {
        byte[] key = key(keyPath.bytes(), 0, depth);
        return new NodePosition(depth, Arrays.copyOfRange(key, 2, key.length));
    }

    /** Reads a store key back; anything but a canonical key is a {@link DecodingException}. */
    public static NodePosition fromKey(byte[] key) {
        if (key.length < 2) {
            throw new DecodingException("a position key is at least 2 bytes, got " + key.length);
        }
        int depth = (key[0] & 0xFF) << 8 | key[1] & 0xFF;
        if (depth > MerkleTrie.KEY_BITS || key.length != 2 + prefixLength(depth)) {
            throw new DecodingException("not a position key: depth " + depth + " in " + key.length + " bytes");
        }
        try {
            return new NodePosition(depth, Arrays.copyOfRange(key, 2, key.length));
        } catch (IllegalArgumentException e) {
            throw new DecodingException("not a canonical position key: " + e.getMessage());
        }
    }

    @Override
    public byte[] prefix() {
        return prefix.clone();
    }

    public byte[] key() {
        byte[] key = new byte[2 + prefix.length];
        key[0] = (byte) (depth >>> 8);
        key[1] = (byte) depth;
        System.arraycopy(prefix, 0, key, 2, prefix.length);
        return key;
    }

    /** The store key of the position at {@code depth} on the way to the 32-byte path at {@code path[off]}. */
    static byte[] key(byte[] path, int off, int depth) {
        int n = prefixLength(depth);
        byte[] key = new byte[2 + n];
        key[0] = (byte) (depth >>> 8);
        key[1] = (byte) depth;
        System.arraycopy(path, off, key, 2, n);
        if (depth % 8 != 0) {
            key[1 + n] &= (byte) (0xFF << (8 - depth % 8));
        }
        return key;
    }

    static int prefixLength(int depth) {
        return (depth + 7) / 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodePosition p && p.depth == depth && Arrays.equals(p.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return 31 * depth + Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        return depth + ":" + HexFormat.of().formatHex(prefix);
    }
}
