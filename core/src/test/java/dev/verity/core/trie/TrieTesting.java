package dev.verity.core.trie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Helpers shared by the trie tests. */
final class TrieTesting {
    private TrieTesting() {}

    static Hash h(String s) {
        return Sha256.digest(Bytes.utf8(s));
    }

    static Hash flip(Hash h, int... bits) {
        byte[] b = h.bytes();
        for (int bit : bits) {
            b[bit / 8] ^= (byte) (0x80 >> (bit % 8));
        }
        return Hash.wrap(b);
    }

    /** Runs one batch through the trie and applies it; checks the result against the reference. */
    static Hash updateAndCheck(MemoryTrieStore store, SortedMap<Hash, Hash> changes, SortedMap<Hash, Hash> model) {
        Hash before = MerkleTrie.root(store);
        TrieUpdate u = MerkleTrie.update(store, changes);
        assertThat(MerkleTrie.root(store)).as("the trie never writes the store").isEqualTo(before);
        store.apply(u);
        for (Map.Entry<Hash, Hash> c : changes.entrySet()) {
            if (c.getValue() == null) {
                model.remove(c.getKey());
            } else {
                model.put(c.getKey(), c.getValue());
            }
        }
        assertThat(u.root()).isEqualTo(ReferenceTrie.root(model));
        assertThat(MerkleTrie.root(store)).isEqualTo(u.root());
        assertSameNodes(store.nodes(), ReferenceTrie.nodes(model));
        return u.root();
    }

    static void assertSameNodes(SortedMap<byte[], byte[]> actual, SortedMap<byte[], byte[]> expected) {
        assertThat(render(actual)).isEqualTo(render(expected));
    }

    /** Nodes as "position = bytes" lines, so a mismatch shows where. */
    static List<String> render(SortedMap<byte[], byte[]> nodes) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : nodes.entrySet()) {
            out.add(NodePosition.fromKey(e.getKey()) + " = " + (e.getValue() == null ? "delete" : Bytes.hex(e.getValue())));
        }
        return out;
    }

    /** The fixed set behind the golden root and proofs: two keys differing only in the last bit, three others. */
    static SortedMap<Hash, Hash> goldenSet() {
        Hash alpha = h("alpha");
        return map(
                alpha, h("value:alpha"),
                flip(alpha, 255), h("value:alpha'"),
                h("beta"), h("value:beta"),
                h("gamma"), h("value:gamma"),
                h("delta"), h("value:delta"));
    }

    static SortedMap<Hash, Hash> map(Object... keysAndValues) {
        SortedMap<Hash, Hash> m = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((Hash) keysAndValues[i], (Hash) keysAndValues[i + 1]);
        }
        return m;
    }
}
