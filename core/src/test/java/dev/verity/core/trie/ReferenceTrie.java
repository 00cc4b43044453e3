package dev.verity.core.trie;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The trie computed naively from the whole key set, straight from the specification in {@link MerkleTrie}, with
 * none of its code: the root, and every node a store of that state holds.
 */
final class ReferenceTrie {
    private ReferenceTrie() {}

    static Hash root(SortedMap<Hash, Hash> entries) {
        return build(new ArrayList<>(entries.entrySet()), 0, null);
    }

    /** Position key to node bytes, for every non-empty position of the compacted trie. */
    static SortedMap<byte[], byte[]> nodes(SortedMap<Hash, Hash> entries) {
        SortedMap<byte[], byte[]> out = new TreeMap<>(NodePosition.KEY_ORDER);
        build(new ArrayList<>(entries.entrySet()), 0, out);
        return out;
    }

    private static Hash build(List<Map.Entry<Hash, Hash>> entries, int depth, SortedMap<byte[], byte[]> out) {
        if (entries.isEmpty()) {
            return Hash.ZERO;
        }
        byte[] path = entries.get(0).getKey().bytes();
        if (entries.size() == 1) {
            Hash key = entries.get(0).getKey();
            Hash value = entries.get(0).getValue();
            if (out != null) {
                out.put(position(path, depth), Bytes.concat(new byte[] {2}, key.bytes(), value.bytes()));
            }
            return Sha256.digest(Bytes.concat(new byte[] {0}, key.bytes(), value.bytes()));
        }
        List<Map.Entry<Hash, Hash>> left = new ArrayList<>();
        List<Map.Entry<Hash, Hash>> right = new ArrayList<>();
        for (Map.Entry<Hash, Hash> e : entries) {
            (bit(e.getKey().bytes(), depth) == 0 ? left : right).add(e);
        }
        Hash l = build(left, depth + 1, out);
        Hash r = build(right, depth + 1, out);
        byte[] node = Bytes.concat(new byte[] {1}, l.bytes(), r.bytes());
        if (out != null) {
            out.put(position(path, depth), node);
        }
        return Sha256.digest(node);
    }

    static int bit(byte[] path, int i) {
        return (path[i / 8] >> (7 - i % 8)) & 1;
    }

    /** {@code [depth u16][first depth bits of path, padded with zero bits to whole bytes]}. */
    static byte[] position(byte[] path, int depth) {
        byte[] key = new byte[2 + (depth + 7) / 8];
        key[0] = (byte) (depth >> 8);
        key[1] = (byte) depth;
        for (int i = 0; i < depth; i++) {
            if (bit(path, i) == 1) {
                key[2 + i / 8] |= (byte) (0x80 >> (i % 8));
            }
        }
        return key;
    }
}
