package dev.verity.core.trie;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch update: a single recursive pass down the positions the changes touch. Each visit returns what its
 * subtree became ({@link Sub}); the parent decides what is stored at its children's positions, because a subtree
 * left with one leaf is stored at the highest position where that leaf is alone, which only an ancestor knows.
 * So every visited position is written at most once, by its parent (the root by {@link #run}), and the writes of
 * one depth come out in ascending prefix order (depth-first, left before right).
 */
final class TrieUpdater {
    private static final int EMPTY = 0;
    private static final int LEAF = 1;
    private static final int INTERNAL = 2;
    /** A child no change reaches: its hash is known from the parent, its kind only if it must be read. */
    private static final int UNTOUCHED = 3;
    private static final byte[] ROOT_KEY = NodePosition.ROOT.key();
    /** An empty child where nothing was stored: never written, never changed, so one instance serves all. */
    private static final Sub NOTHING = new Sub(EMPTY, null, null, null);

    private final TrieNodeStore store;
    private final byte[][] keys;
    private final Hash[] values;
    private final MessageDigest md = Sha256.newDigest();
    /** Position keys and their new nodes (null: delete), by depth; each depth's in ascending key order. */
    private final List<List<byte[]>> writeKeys = new ArrayList<>(MerkleTrie.KEY_BITS + 1);
    private final List<List<byte[]>> writeNodes = new ArrayList<>(MerkleTrie.KEY_BITS + 1);

    /** What a visited subtree became. */
    private static final class Sub {
        int kind;
        /** Store key of the position; null for an empty child nothing was ever stored at. */
        byte[] pos;
        /** The node now: a leaf to be placed by an ancestor, or the internal node stored at pos; null if empty. */
        byte[] node;
        /** The node's hash at hash[hashOff] where it is already known (from the parent's stored bytes), else null. */
        byte[] hash;
        int hashOff;
        /** What the store held at pos before this update (null if nothing). */
        byte[] stored;

        Sub(int kind, byte[] pos, byte[] node, byte[] stored) {
            this.kind = kind;
            this.pos = pos;
            this.node = node;
            this.stored = stored;
        }
    }

    TrieUpdater(TrieNodeStore store, byte[][] keyPaths, Hash[] valueHashes) {
        this.store = store;
        for (int i = 0; i < keyPaths.length; i++) {
            if (keyPaths[i].length != Hash.LENGTH) {
                throw new IllegalArgumentException("key path " + i + " is " + keyPaths[i].length + " bytes, not " + Hash.LENGTH);
            }
            if (i > 0 && Arrays.compareUnsigned(keyPaths[i - 1], keyPaths[i]) >= 0) {
                throw new IllegalArgumentException("changes must be sorted by key path in ascending unsigned byte order");
            }
        }
        keys = keyPaths;
        values = valueHashes;
        for (int d = 0; d <= MerkleTrie.KEY_BITS; d++) {
            writeKeys.add(new ArrayList<>());
            writeNodes.add(new ArrayList<>());
        }
    }

    TrieUpdate run() {
        if (keys.length == 0) {
            return new TrieUpdate(MerkleTrie.root(store), new byte[0][], new byte[0][]);
        }
        byte[] root = store.get(ROOT_KEY);
        if (root != null) {
            checked(root, ROOT_KEY);
        }
        Sub top = visit(0, ROOT_KEY, 0, keys.length, root, root);
        byte[] rootHash = new byte[Nodes.HASH];
        putHash(top, rootHash, 0);
        settle(top, true);
        int n = 0;
        for (List<byte[]> depth : writeKeys) {
            n += depth.size();
        }
        byte[][] positions = new byte[n][];
        byte[][] nodes = new byte[n][];
        int at = 0;
        for (int d = 0; d <= MerkleTrie.KEY_BITS; d++) {
            for (int i = 0; i < writeKeys.get(d).size(); i++, at++) {
                positions[at] = writeKeys.get(d).get(i);
                nodes[at] = writeNodes.get(d).get(i);
            }
        }
        assert ascending(positions) : "trie writes out of key order";
        return new TrieUpdate(Hash.wrap(rootHash), positions, nodes);
    }

    /**
     * The subtree at {@code pos} (depth {@code depth}) after changes [lo, hi), which all lie under it. {@code old}
     * is its content before: a stored node, or a leaf carried down from an ancestor position being split (then
     * nothing is stored here), or null; {@code stored} is what the store holds at pos.
     */
    private Sub visit(int depth, byte[] pos, int lo, int hi, byte[] old, byte[] stored) {
        boolean leafOrEmpty = old == null || old[0] == Nodes.LEAF;
        if (leafOrEmpty && hi - lo == 1 && (old == null || Arrays.equals(old, 1, 1 + Nodes.HASH, keys[lo], 0, Nodes.HASH))) {
            return single(pos, lo, stored);
        }
        if (depth == MerkleTrie.KEY_BITS) {
            throw new IllegalStateException("two different key paths cannot reach depth " + depth);
        }
        int mid = split(lo, hi, depth);
        Sub left;
        Sub right;
        if (leafOrEmpty) {
            // An empty position, or a leaf pushed down: it goes to the side of its own next bit.
            int leafSide = old == null ? -1 : Nodes.bit(old, 1, depth);
            left = child(depth, lo, mid, leafSide == 0 ? old : null);
            right = child(depth, mid, hi, leafSide == 1 ? old : null);
        } else {
            left = stored(depth, old, lo, mid, 0);
            right = stored(depth, old, mid, hi, 1);
        }
        return combine(depth, pos, stored, left, right);
    }

    /** A child of an empty or leaf position: nothing is stored under such a position. */
    private Sub child(int depth, int lo, int hi, byte[] leaf) {
        if (lo < hi) {
            return visit(depth + 1, NodePosition.key(keys[lo], 0, depth + 1), lo, hi, leaf, null);
        }
        if (leaf == null) {
            return NOTHING;
        }
        // The pushed-down leaf on a side no change reaches: still a leaf, placed by an ancestor.
        return new Sub(LEAF, NodePosition.key(leaf, 1, depth + 1), leaf, null);
    }

    /** A child of a stored internal node, read from the store only if a change reaches it. */
    private Sub stored(int depth, byte[] parent, int lo, int hi, int side) {
        int off = 1 + side * Nodes.HASH;
        boolean empty = Nodes.isZero(parent, off);
        if (lo == hi) {
            if (empty) {
                return NOTHING;
            }
            Sub s = new Sub(UNTOUCHED, null, null, null);
            s.hash = parent;
            s.hashOff = off;
            return s;
        }
        byte[] pos = NodePosition.key(keys[lo], 0, depth + 1);
        byte[] node = empty ? null : read(pos);
        return visit(depth + 1, pos, lo, hi, node, node);
    }

    private Sub single(byte[] pos, int i, byte[] stored) {
        if (values[i] == null) {
            return new Sub(EMPTY, pos, null, stored);
        }
        byte[] leaf = new byte[Nodes.SIZE];
        leaf[0] = Nodes.LEAF;
        System.arraycopy(keys[i], 0, leaf, 1, Nodes.HASH);
        values[i].copyTo(leaf, 1 + Nodes.HASH);
        return new Sub(LEAF, pos, leaf, stored);
    }

    private Sub combine(int depth, byte[] pos, byte[] stored, Sub left, Sub right) {
        if (left.kind == EMPTY && right.kind == UNTOUCHED) {
            resolve(right, childKey(pos, depth, 1));
        } else if (right.kind == EMPTY && left.kind == UNTOUCHED) {
            resolve(left, childKey(pos, depth, 0));
        }
        Sub result;
        boolean placed;
        if (left.kind == EMPTY && right.kind == EMPTY) {
            result = new Sub(EMPTY, pos, null, stored);
            placed = false;
        } else if (left.kind == EMPTY && right.kind == LEAF || right.kind == EMPTY && left.kind == LEAF) {
            // One leaf left in this subtree: it moves up here, or higher.
            Sub leaf = left.kind == LEAF ? left : right;
            result = new Sub(LEAF, pos, leaf.node, stored);
            result.hash = leaf.hash;
            result.hashOff = leaf.hashOff;
            placed = false;
        } else {
            byte[] node = new byte[Nodes.SIZE];
            node[0] = Nodes.INTERNAL;
            putHash(left, node, 1);
            putHash(right, node, 1 + Nodes.HASH);
            result = new Sub(INTERNAL, pos, node, stored);
            placed = true;
        }
        settle(left, placed);
        settle(right, placed);
        return result;
    }

    /** Reads an untouched child whose sibling became empty: a leaf there moves up, an internal node stays. */
    private void resolve(Sub s, byte[] pos) {
        s.pos = pos;
        byte[] node = read(pos);
        s.kind = node[0] == Nodes.LEAF ? LEAF : INTERNAL;
        s.node = node;
        s.stored = node;
    }

    /** Records what is stored at a child's position now: its node if its parent is internal, else nothing. */
    private void settle(Sub s, boolean placed) {
        if (s.kind == UNTOUCHED) {
            return;
        }
        byte[] now = placed ? s.node : null;
        if (now == null) {
            if (s.stored != null) {
                write(s.pos, null);
            }
        } else if (s.stored == null || now != s.stored && !Arrays.equals(now, s.stored)) {
            write(s.pos, now);
        }
    }

    private void write(byte[] pos, byte[] node) {
        int depth = (pos[0] & 0xFF) << 8 | pos[1] & 0xFF;
        writeKeys.get(depth).add(pos);
        writeNodes.get(depth).add(node);
    }

    private static boolean ascending(byte[][] keys) {
        for (int i = 1; i < keys.length; i++) {
            if (Arrays.compareUnsigned(keys[i - 1], keys[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes a subtree's hash into its parent's node (or the root's buffer); an empty one leaves zeros. */
    private void putHash(Sub s, byte[] dst, int off) {
        if (s.hash != null) {
            System.arraycopy(s.hash, s.hashOff, dst, off, Nodes.HASH);
        } else if (s.kind == LEAF) {
            Nodes.leafHash(md, s.node, dst, off);
        } else if (s.kind == INTERNAL) {
            Nodes.internalHash(md, s.node, dst, off);
        }
    }

    /** The first index in [lo, hi) whose key has bit {@code depth} set (the keys there agree on the bits before). */
    private int split(int lo, int hi, int depth) {
        int a = lo;
        int b = hi;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (Nodes.bit(keys[m], 0, depth) == 0) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        return a;
    }

    /** A node that must be there: its parent refers to it. */
    private byte[] read(byte[] pos) {
        byte[] node = store.get(pos);
        if (node == null) {
            throw new IllegalStateException("the store has no node at position " + NodePosition.fromKey(pos)
                    + " that its parent refers to");
        }
        return checked(node, pos);
    }

    private static byte[] checked(byte[] node, byte[] pos) {
        if (node.length != Nodes.SIZE || node[0] != Nodes.LEAF && node[0] != Nodes.INTERNAL) {
            throw new IllegalStateException("the store holds no valid node at position " + NodePosition.fromKey(pos));
        }
        return node;
    }

    private static byte[] childKey(byte[] parentPos, int depth, int side) {
        int n = NodePosition.prefixLength(depth + 1);
        byte[] key = Arrays.copyOf(parentPos, 2 + n);
        key[0] = (byte) ((depth + 1) >>> 8);
        key[1] = (byte) (depth + 1);
        if (side == 1) {
            key[2 + depth / 8] |= (byte) (0x80 >>> (depth % 8));
        }
        return key;
    }
}
