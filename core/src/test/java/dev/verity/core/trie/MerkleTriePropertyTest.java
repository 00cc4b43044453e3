package dev.verity.core.trie;

import static dev.verity.core.trie.TrieTesting.flip;
import static dev.verity.core.trie.TrieTesting.h;
import static dev.verity.core.trie.TrieTesting.updateAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of batches (inserts, value changes, deletes, deletes of absent keys) over a small universe of
 * key paths built to share long prefixes, checked after every batch against {@link ReferenceTrie}: the root, and
 * the exact set of stored nodes (so no orphan is ever left). Then every key of the universe is proved.
 */
class MerkleTriePropertyTest {
    private static final int UNIVERSE = 32;

    /** Key paths that share long prefixes: neighbours in the last bits, in one middle bit, at the extremes. */
    static List<Hash> universe(long seed) {
        Random random = new Random(seed);
        List<Hash> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(h("seed " + seed + " key " + i));
        }
        for (int i = 0; i < 10; i++) {
            keys.add(flip(keys.get(i), i % 2 == 0 ? 255 : 200 + random.nextInt(56)));
        }
        for (int i = 0; i < 6; i++) {
            keys.add(flip(keys.get(0), random.nextInt(256)));
        }
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        keys.add(Hash.ZERO);
        keys.add(Hash.wrap(ones));
        keys.add(flip(Hash.ZERO, 255));
        keys.add(flip(Hash.ZERO, 0));
        keys.add(flip(Hash.wrap(ones), 0));
        keys.add(flip(keys.get(1), 254, 255));
        return keys;
    }

    @Test
    void batchesMatchTheReferenceAndEveryKeyProves() {
        qt().withExamples(300).forAll(longs().all(), lists().of(integers().between(0, 1 << 16)).ofSizeBetween(1, 120))
                .checkAssert(MerkleTriePropertyTest::run);
    }

    /**
     * Each op encodes a key index (low 5 bits), an action (next 2 bits: 0 delete, else set a value drawn from
     * the op) and whether the batch ends after it (next 3 bits all zero).
     */
    private static void run(long seed, List<Integer> ops) {
        List<Hash> keys = universe(seed);
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        SortedMap<Hash, Hash> batch = new TreeMap<>();
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            Hash key = keys.get(op % UNIVERSE);
            batch.put(key, (op >> 5) % 4 == 0 ? null : h("value " + (op >> 7)));
            if ((op >> 7) % 8 == 0 || i == ops.size() - 1) {
                updateAndCheck(store, batch, model);
                batch.clear();
            }
        }
        Hash root = MerkleTrie.root(store);
        for (Hash key : keys) {
            TrieProof proof = TrieProof.decode(MerkleTrie.prove(store, key).encode());
            Hash value = model.get(key);
            assertThat(proof.value(root, key)).isEqualTo(Optional.ofNullable(value));
            if (value == null) {
                assertThat(proof.provesAbsent(root, key)).isTrue();
            } else {
                assertThat(proof.provesPresent(root, key, value)).isTrue();
                assertThat(proof.provesPresent(root, key, h("other"))).isFalse();
                assertThat(proof.provesAbsent(root, key)).isFalse();
            }
        }
    }

    @Test
    void largeRandomBatchesMatchTheReference() {
        Random random = new Random(42);
        List<Hash> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Hash k = h("large " + i);
            keys.add(i % 7 == 6 ? flip(keys.get(random.nextInt(keys.size())), 180 + random.nextInt(76)) : k);
        }
        MemoryTrieStore store = new MemoryTrieStore();
        SortedMap<Hash, Hash> model = new TreeMap<>();
        for (int round = 0; round < 12; round++) {
            SortedMap<Hash, Hash> batch = new TreeMap<>();
            int n = 1 + random.nextInt(800);
            for (int j = 0; j < n; j++) {
                batch.put(keys.get(random.nextInt(keys.size())), random.nextInt(4) == 0 ? null : h("v " + round + " " + j));
            }
            updateAndCheck(store, batch, model);
        }
    }
}
