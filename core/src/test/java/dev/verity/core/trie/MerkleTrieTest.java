package dev.verity.core.trie;

import static dev.verity.core.trie.TrieTesting.flip;
import static dev.verity.core.trie.TrieTesting.goldenSet;
import static dev.verity.core.trie.TrieTesting.h;
import static dev.verity.core.trie.TrieTesting.map;
import static dev.verity.core.trie.TrieTesting.updateAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MerkleTrieTest {

    @Test
    void emptyTrieHasTheZeroRootAndStoresNothing() {
        MemoryTrieStore store = new MemoryTrieStore();
        assertThat(MerkleTrie.root(store)).isEqualTo(Hash.ZERO);
        TrieUpdate u = MerkleTrie.update(store, new TreeMap<>());
        assertThat(u.root()).isEqualTo(Hash.ZERO);
        assertThat(u.writes()).isEmpty();
        // deleting absent keys changes nothing
        u = MerkleTrie.update(store, map(h("a"), null, h("b"), null));
        assertThat(u.root()).isEqualTo(Hash.ZERO);
        assertThat(u.writes()).isEmpty();
    }

    @Test
    void oneKeyIsItsLeafAtTheRoot() {
        MemoryTrieStore store = new MemoryTrieStore();
        Hash k = h("k");
        Hash v = h("v");
        updateAndCheck(store, map(k, v), new TreeMap<>());
        assertThat(MerkleTrie.root(store)).isEqualTo(MerkleTrie.leafHash(k, v));
        assertOnlyALeafAtTheRoot(store);
        assertThat(store.get(NodePosition.ROOT.key())).isEqualTo(Bytes.concat(new byte[] {2}, k.bytes(), v.bytes()));
    }

    private static void assertOnlyALeafAtTheRoot(MemoryTrieStore store) {
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get(NodePosition.ROOT.key())[0]).isEqualTo((byte) 2);
    }

    @Test
    void hashesFollowTheSpecification() {
        Hash k = h("k");
        Hash v = h("v");
        assertThat(MerkleTrie.leafHash(k, v)).isEqualTo(h0(new byte[] {0}, k.bytes(), v.bytes()));
        assertThat(MerkleTrie.internalHash(k, v)).isEqualTo(h0(new byte[] {1}, k.bytes(), v.bytes()));
    }

    private static Hash h0(byte[]... parts) {
        return dev.verity.core.Sha256.digest(parts);
    }

    @Test
    void keysDifferingOnlyInTheLastBitSplitAllTheWayDownAndCollapseBack() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        Hash a = h("a");
        Hash b = flip(a, 255);
        updateAndCheck(store, map(a, h("1")), model);
        updateAndCheck(store, map(b, h("2")), model);
        // a chain of internal nodes at depths 0..255 (all but the last with an empty child), the leaves at 256
        assertThat(store.size()).isEqualTo(256 + 2);
        assertThat(store.get(NodePosition.of(a, 256).key())).isNotNull();
        Hash c = flip(a, 0);
        updateAndCheck(store, map(c, h("3")), model);
        updateAndCheck(store, map(b, null), model);
        // a is alone again under the root's child: it moves up, the chain goes
        assertThat(store.size()).isEqualTo(3);
        updateAndCheck(store, map(c, null), model);
        assertOnlyALeafAtTheRoot(store);
        updateAndCheck(store, map(a, null), model);
        assertThat(store.size()).isZero();
    }

    @Test
    void aLeafPushedDownKeepsItsValueAndAnUpdateInTheSameBatchApplies() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        Hash a = h("a");
        updateAndCheck(store, map(a, h("1")), model);
        // one batch: replace a's value and land two keys on its position, sharing 200 and 30 bits with it
        updateAndCheck(store, map(a, h("2"), flip(a, 200), h("3"), flip(a, 30), h("4")), model);
        // replace, insert, delete in one batch; delete an absent key too
        updateAndCheck(store, map(a, null, flip(a, 200), h("5"), flip(a, 201), h("6"), flip(a, 7), null), model);
        // delete all but one: it must end at the root
        updateAndCheck(store, map(flip(a, 200), null, flip(a, 201), null), model);
        assertOnlyALeafAtTheRoot(store);
    }

    @Test
    void aDeleteThatEmptiesOneSideMovesAnUntouchedLeafSiblingUp() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        Hash a = Hash.ZERO;
        Hash b = flip(a, 3);
        Hash c = flip(a, 3, 9);
        Hash d = flip(a, 0);
        updateAndCheck(store, map(a, h("a"), b, h("b"), c, h("c"), d, h("d")), model);
        updateAndCheck(store, map(a, null), model);          // b and c stay under an internal node
        updateAndCheck(store, map(c, null), model);          // b moves up to depth 1
        assertThat(store.get(NodePosition.of(b, 1).key())).isNotNull();
        updateAndCheck(store, map(d, null), model);          // and to the root
        assertOnlyALeafAtTheRoot(store);
    }

    @Test
    void theRootDependsOnTheKeySetOnlyAndTheStoreToo() {
        Random random = new Random(7);
        List<Hash> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Hash k = h("key " + i);
            keys.add(k);
            if (i % 10 == 0) {
                keys.add(flip(k, 255));
                keys.add(flip(k, 100 + i % 150));
            }
        }
        MemoryTrieStore all = new MemoryTrieStore();
        SortedMap<Hash, Hash> everything = new TreeMap<>();
        keys.forEach(k -> everything.put(k, h("value of " + k)));
        all.apply(MerkleTrie.update(all, everything));

        for (int round = 0; round < 5; round++) {
            List<Hash> order = new ArrayList<>(keys);
            Collections.shuffle(order, random);
            MemoryTrieStore store = new MemoryTrieStore();
            // insert in random batches, with stray values and deletes on the way
            int i = 0;
            while (i < order.size()) {
                int n = 1 + random.nextInt(40);
                SortedMap<Hash, Hash> batch = new TreeMap<>();
                for (int j = i; j < Math.min(order.size(), i + n); j++) {
                    batch.put(order.get(j), random.nextBoolean() ? h("value of " + order.get(j)) : h("stray"));
                }
                store.apply(MerkleTrie.update(store, batch));
                i += n;
            }
            SortedMap<Hash, Hash> fix = new TreeMap<>(everything);
            store.apply(MerkleTrie.update(store, fix));
            assertThat(MerkleTrie.root(store)).isEqualTo(MerkleTrie.root(all));
            TrieTesting.assertSameNodes(store.nodes(), all.nodes());
        }
        assertThat(MerkleTrie.root(all)).isEqualTo(ReferenceTrie.root(everything));
    }

    @Test
    void deletingEverythingGivesTheZeroRootAndAnEmptyStore() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        SortedMap<Hash, Hash> batch = new TreeMap<>();
        for (int i = 0; i < 500; i++) {
            batch.put(h("k" + i), h("v" + i));
            batch.put(flip(h("k" + i), 254), h("w" + i));
        }
        updateAndCheck(store, batch, model);
        SortedMap<Hash, Hash> deletes = new TreeMap<>();
        model.keySet().forEach(k -> deletes.put(k, null));
        assertThat(updateAndCheck(store, deletes, model)).isEqualTo(Hash.ZERO);
        assertThat(store.size()).isZero();
    }

    @Test
    void writesAreOnlyWhatChanged() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> batch = new TreeMap<>();
        for (int i = 0; i < 100; i++) {
            batch.put(h("k" + i), h("v" + i));
        }
        store.apply(MerkleTrie.update(store, batch));
        // rewriting the same values, or deleting absent keys, writes nothing
        TrieUpdate same = MerkleTrie.update(store, batch);
        assertThat(same.root()).isEqualTo(MerkleTrie.root(store));
        assertThat(same.writes()).isEmpty();
        assertThat(MerkleTrie.update(store, map(h("absent"), null)).writes()).isEmpty();
        // one changed value: the leaf and the internal nodes above it are read once and written once
        Hash k = h("k5");
        int[] reads = {0};
        TrieUpdate one = MerkleTrie.update(key -> {
            reads[0]++;
            return store.get(key);
        }, map(k, h("new")));
        int depth = MerkleTrie.prove(store, k).siblings().size();
        assertThat(reads[0]).isEqualTo(depth + 1);
        assertThat(one.writes()).hasSize(depth + 1);
        assertThat(one.writes().values()).doesNotContainNull();
    }

    @Test
    void writesAreInPositionKeyOrder() {
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> batch = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            batch.put(h("k" + i), h("v" + i));
        }
        TrieUpdate u = MerkleTrie.update(store, batch);
        List<byte[]> keys = new ArrayList<>(u.writes().keySet());
        for (int i = 1; i < keys.size(); i++) {
            assertThat(NodePosition.KEY_ORDER.compare(keys.get(i - 1), keys.get(i))).isNegative();
        }
        assertThat(u.writes().comparator()).isSameAs(NodePosition.KEY_ORDER);
    }

    @Test
    void changesMustBeInAscendingKeyOrder() {
        SortedMap<Hash, Hash> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put(h("a"), h("1"));
        reversed.put(h("b"), h("2"));
        assertThatThrownBy(() -> MerkleTrie.update(new MemoryTrieStore(), reversed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
    }

    @Test
    void aStoreMissingANodeIsReported() {
        MemoryTrieStore store = new MemoryTrieStore();
        store.apply(MerkleTrie.update(store, map(h("a"), h("1"), h("b"), h("2"), h("c"), h("3"))));
        TrieNodeStore broken = key -> key.length == 2 ? store.get(key) : null;
        assertThatThrownBy(() -> MerkleTrie.update(broken, map(h("a"), h("9"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("position");
        assertThatThrownBy(() -> MerkleTrie.prove(broken, h("a"))).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Consensus: the root of this fixed set (two keys differing only in the last bit, three others). If it changes,
     * every state root of the chain changes; only a deliberate, versioned change of the trie specification may
     * change it. The value was also computed by an independent implementation of the specification.
     */
    @Test
    void goldenRoot() {
        SortedMap<Hash, Hash> set = goldenSet();
        MemoryTrieStore store = new MemoryTrieStore();
        store.apply(MerkleTrie.update(store, set));
        Hash golden = Hash.fromHex("94cb525cdb4b1f09338828ad1b250c55d6b6889d6e5e4bf5b651f7c3db7fc7bc");
        assertThat(ReferenceTrie.root(set)).isEqualTo(golden);
        assertThat(MerkleTrie.root(store)).isEqualTo(golden);
    }
}
