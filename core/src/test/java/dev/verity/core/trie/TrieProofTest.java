package dev.verity.core.trie;

import static dev.verity.core.trie.TrieTesting.flip;
import static dev.verity.core.trie.TrieTesting.goldenSet;
import static dev.verity.core.trie.TrieTesting.h;
import static dev.verity.core.trie.TrieTesting.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrieProofTest {
    static final MemoryTrieStore STORE = new MemoryTrieStore();
    static final SortedMap<Hash, Hash> ENTRIES = new TreeMap<>();
    static Hash root;

    @BeforeAll
    static void build() {
        for (int i = 0; i < 400; i++) {
            Hash k = h("key " + i);
            ENTRIES.put(k, h("value " + i));
            if (i % 20 == 0) {
                ENTRIES.put(flip(k, 255), h("neighbour " + i));
                ENTRIES.put(flip(k, 120), h("cousin " + i));
            }
        }
        STORE.apply(MerkleTrie.update(STORE, ENTRIES));
        root = MerkleTrie.root(STORE);
    }

    /** Keys that are absent: random ones, and ones sharing long prefixes with present keys. */
    static List<Hash> absentKeys() {
        List<Hash> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(h("absent " + i));
        }
        for (int i = 1; i < 400; i += 20) {
            out.add(flip(h("key " + i), 255));
            out.add(flip(h("key " + i), 254));
            out.add(flip(h("key " + i), 30));
        }
        out.add(Hash.ZERO);
        out.removeIf(ENTRIES::containsKey);
        return out;
    }

    @Test
    void everyPresentKeyProvesItsValue() {
        for (var e : ENTRIES.entrySet()) {
            TrieProof proof = MerkleTrie.prove(STORE, e.getKey());
            assertThat(proof.terminal()).isEqualTo(new TrieProof.Leaf(e.getKey(), e.getValue()));
            assertThat(proof.provesPresent(root, e.getKey(), e.getValue())).isTrue();
            assertThat(proof.value(root, e.getKey())).contains(e.getValue());
            assertThat(proof.provesPresent(root, e.getKey(), h("wrong value"))).isFalse();
            assertThat(proof.provesAbsent(root, e.getKey())).isFalse();
            assertThat(proof.provesPresent(h("wrong root"), e.getKey(), e.getValue())).isFalse();
            assertThat(TrieProof.decode(proof.encode())).isEqualTo(proof);
        }
    }

    @Test
    void everyAbsentKeyProvesItsAbsence() {
        int endedAtAnotherLeaf = 0;
        for (Hash k : absentKeys()) {
            TrieProof proof = MerkleTrie.prove(STORE, k);
            assertThat(proof.provesAbsent(root, k)).as("%s", k).isTrue();
            assertThat(proof.value(root, k)).isEmpty();
            assertThat(proof.provesPresent(root, k, h("anything"))).isFalse();
            assertThat(proof.provesAbsent(h("wrong root"), k)).isFalse();
            assertThat(TrieProof.decode(proof.encode())).isEqualTo(proof);
            if (proof.terminal() instanceof TrieProof.Leaf) {
                endedAtAnotherLeaf++;
            }
        }
        assertThat(endedAtAnotherLeaf).as("absence shown by a leaf of another key sharing the prefix").isPositive();
    }

    @Test
    void theEmptyTrieAndTheOneLeafTrie() {
        MemoryTrieStore empty = new MemoryTrieStore();
        TrieProof none = MerkleTrie.prove(empty, h("a"));
        assertThat(none).isEqualTo(new TrieProof(List.of(), new TrieProof.Empty()));
        assertThat(none.provesAbsent(Hash.ZERO, h("a"))).isTrue();
        assertThat(Bytes.hex(none.encode())).isEqualTo("01000000");

        MemoryTrieStore one = new MemoryTrieStore();
        one.apply(MerkleTrie.update(one, map(h("a"), h("1"))));
        Hash r = MerkleTrie.root(one);
        assertThat(MerkleTrie.prove(one, h("a")).provesPresent(r, h("a"), h("1"))).isTrue();
        TrieProof other = MerkleTrie.prove(one, h("b"));
        assertThat(other.siblings()).isEmpty();
        assertThat(other.provesAbsent(r, h("b"))).isTrue();
    }

    @Test
    void aLeafThatDoesNotShareThePrefixIsRejectedWithAReason() {
        Hash k = h("key 3");
        TrieProof proof = MerkleTrie.prove(STORE, k);
        assertThat(proof.siblings()).isNotEmpty();
        // the same proof, asked about a key that leaves the path at bit 0
        Hash stranger = flip(k, 0);
        assertThat(proof.provesAbsent(root, stranger)).isFalse();
        assertThatThrownBy(() -> proof.value(root, stranger))
                .isInstanceOf(InvalidProofException.class)
                .hasMessageContaining("differs from the queried key path")
                .hasMessageContaining("at bit 0");
        assertThatThrownBy(() -> proof.value(h("wrong root"), k))
                .isInstanceOf(InvalidProofException.class)
                .hasMessageContaining("leads to root");
    }

    @Test
    void everyChangedByteOfAnEncodingFailsToDecodeOrToVerify() {
        List<Hash> keys = new ArrayList<>(ENTRIES.keySet()).subList(0, 40);
        keys = new ArrayList<>(keys);
        keys.addAll(absentKeys().subList(0, 40));
        for (Hash k : keys) {
            byte[] encoded = MerkleTrie.prove(STORE, k).encode();
            for (int i = 0; i < encoded.length; i++) {
                for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] tampered = encoded.clone();
                    tampered[i] ^= (byte) mask;
                    Throwable failure = catchThrowable(() -> TrieProof.decode(tampered).value(root, k));
                    assertThat(failure).as("byte %d ^ %02x of the proof of %s", i, mask, k)
                            .isInstanceOfAny(DecodingException.class, InvalidProofException.class);
                }
            }
        }
    }

    @Test
    void alteredProofsFail() {
        Random random = new Random(3);
        List<Hash> present = new ArrayList<>(ENTRIES.keySet());
        for (int n = 0; n < 60; n++) {
            Hash k = present.get(random.nextInt(present.size()));
            Hash v = ENTRIES.get(k);
            TrieProof p = MerkleTrie.prove(STORE, k);
            List<Hash> s = p.siblings();
            List<TrieProof> altered = new ArrayList<>();
            altered.add(new TrieProof(s.subList(1, s.size()), p.terminal()));                 // top sibling removed
            altered.add(new TrieProof(s.subList(0, s.size() - 1), p.terminal()));             // bottom sibling removed
            if (s.size() < MerkleTrie.KEY_BITS) {
                altered.add(new TrieProof(concat(List.of(Hash.ZERO), s), p.terminal()));     // sibling added on top
                altered.add(new TrieProof(concat(s, List.of(Hash.ZERO)), p.terminal()));     // and at the bottom
                altered.add(new TrieProof(concat(s, List.of(h("x"))), p.terminal()));
            }
            altered.add(new TrieProof(s, new TrieProof.Empty()));                             // terminal swapped
            altered.add(new TrieProof(s, new TrieProof.Leaf(k, h("other value"))));
            List<Hash> reordered = new ArrayList<>(s);
            Collections.swap(reordered, 0, reordered.size() - 1);
            if (!reordered.equals(s)) {
                altered.add(new TrieProof(reordered, p.terminal()));
            }
            for (TrieProof a : altered) {
                assertThat(a.provesPresent(root, k, v)).as("%s", a).isFalse();
                assertThat(a.provesAbsent(root, k)).as("%s", a).isFalse();
                assertThatThrownBy(() -> a.value(root, k)).isInstanceOf(InvalidProofException.class);
            }
        }
        // an absence proof turned into a presence claim
        for (Hash k : absentKeys().subList(0, 30)) {
            TrieProof p = MerkleTrie.prove(STORE, k);
            TrieProof forged = new TrieProof(p.siblings(), new TrieProof.Leaf(k, h("forged")));
            assertThat(forged.provesPresent(root, k, h("forged"))).isFalse();
            if (p.terminal() instanceof TrieProof.Leaf other) {
                // the other key's leaf proves that key, not the absent one
                assertThat(p.provesPresent(root, k, other.valueHash())).isFalse();
                assertThat(p.provesPresent(root, other.keyPath(), other.valueHash())).isTrue();
            }
        }
    }

    private static List<Hash> concat(List<Hash> a, List<Hash> b) {
        List<Hash> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void proofsLongerThan256AreRefused() {
        List<Hash> siblings = Collections.nCopies(257, h("s"));
        assertThatThrownBy(() -> new TrieProof(siblings, new TrieProof.Empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        // 256 siblings encode; a count of 257 does not decode
        TrieProof longest = new TrieProof(siblings.subList(0, 256), new TrieProof.Empty());
        byte[] encoded = longest.encode();
        assertThat(TrieProof.decode(encoded)).isEqualTo(longest);
        byte[] tooMany = Bytes.concat(new byte[] {1, 0x01, 0x01}, new byte[33], new byte[257 * 32], new byte[] {0});
        assertThatThrownBy(() -> TrieProof.decode(tooMany)).isInstanceOf(DecodingException.class).hasMessageContaining("at most 256");
    }

    @Test
    void theEncodingIsCompact() {
        Hash k = ENTRIES.firstKey();
        TrieProof p = MerkleTrie.prove(STORE, k);
        long nonEmpty = p.siblings().stream().filter(s -> !s.equals(Hash.ZERO)).count();
        int n = p.siblings().size();
        assertThat(p.encode()).hasSize((int) (1 + 2 + (n + 7) / 8 + 32 * nonEmpty + 1 + 64));
        // a neighbour in the last bit: 256 siblings, almost all empty
        Hash deep = flip(h("key 0"), 255);
        TrieProof q = MerkleTrie.prove(STORE, deep);
        assertThat(q.siblings()).hasSize(256);
        assertThat(q.encode().length).isLessThan(1 + 2 + 32 + 32 * 12 + 1 + 64);
    }

    @Test
    void malformedEncodingsAreDecodingExceptions() {
        byte[] good = MerkleTrie.prove(STORE, ENTRIES.firstKey()).encode();
        // every strict prefix is truncated
        for (int i = 0; i < good.length; i++) {
            byte[] prefix = Arrays.copyOf(good, i);
            assertThatThrownBy(() -> TrieProof.decode(prefix)).as("prefix of %d bytes", i).isInstanceOf(DecodingException.class);
        }
        assertThatThrownBy(() -> TrieProof.decode(Bytes.concat(good, new byte[1])))
                .isInstanceOf(DecodingException.class).hasMessageContaining("trailing");
        byte[] version = good.clone();
        version[0] = 2;
        assertThatThrownBy(() -> TrieProof.decode(version)).isInstanceOf(DecodingException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> TrieProof.decode(Bytes.fromHex("01000002")))
                .isInstanceOf(DecodingException.class).hasMessageContaining("terminal");
        // 3 siblings, the map's unused bits set
        assertThatThrownBy(() -> TrieProof.decode(Bytes.fromHex("010003ff00")))
                .isInstanceOf(DecodingException.class).hasMessageContaining("beyond");
        // 1 sibling, not marked empty, but all zero
        assertThatThrownBy(() -> TrieProof.decode(Bytes.concat(Bytes.fromHex("01000100"), new byte[32], new byte[] {0})))
                .isInstanceOf(DecodingException.class).hasMessageContaining("not marked");
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            Throwable t = catchThrowable(() -> TrieProof.decode(garbage));
            assertThat(t == null || t instanceof DecodingException).as("garbage %s gave %s", Bytes.hex(garbage), t).isTrue();
        }
    }

    /**
     * Consensus: the encoding of fixed proofs over the golden set of {@link MerkleTrieTest#goldenRoot} (a presence
     * proof, an absence proof ending at another key's leaf, and the longest possible proof). Light clients decode
     * exactly these bytes. They were also produced by an independent implementation of the documented format.
     */
    @Test
    void goldenProofs() {
        Hash alpha = h("alpha");
        SortedMap<Hash, Hash> set = goldenSet();
        MemoryTrieStore store = new MemoryTrieStore();
        store.apply(MerkleTrie.update(store, set));
        Hash golden = MerkleTrie.root(store);
        TrieProof beta = MerkleTrie.prove(store, h("beta"));
        assertThat(Bytes.hex(beta.encode())).isEqualTo("0100020073dcf8835f20e38c314c27403f39a243895b816602b1c8c751c97584c91b9cb449608c19e907afbd10d238938616"
                + "d2150dfd8df2b08a6a25bd2b8d731e65d1fe01f44e64e75f3948e9f73f8dfa94721c4ce8cbb4f265c4790c702b2d41cfbf27"
                + "538196a85d5ac18867da27c6a3603f622a6fa21bfd27a03c10836ed6e72e69bbdd");
        TrieProof absent = MerkleTrie.prove(store, h("epsilon"));
        assertThat(Bytes.hex(absent.encode())).isEqualTo("01000100059afb15072ad7643aa25582a4588597d511791a8137233056e237d17a1d0723014f4a9410ffcdf895c4adb88065"
                + "9e9b5c0dd1f23a30790684340b3eaacb0453981928a862813668c8974f35c41234e1e9033f8ab081f985ac65de98c3e989a9"
                + "6b");
        TrieProof deep = MerkleTrie.prove(store, alpha);
        assertThat(deep.siblings()).hasSize(256);
        assertThat(Bytes.hex(deep.encode())).isEqualTo("0101001ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe73dcf8835f20e38c314c27403f39a2"
                + "43895b816602b1c8c751c97584c91b9cb469ed9ce02ab54d2e97b6d910c0996fc10651baf671ee927425ef29fc96227a78e9"
                + "76ba92a821cd249ddc7794e400014495c4dc90c298884daea6b374a0b3ee1200eb134fa14125811fb8b4bda3d22ef3f9187c"
                + "c34ea33078dd3cac36fa8a611f018ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8dda2788d"
                + "3ed1953322d228a28a9e998b4dadefa5ef4e92105617784832e43438");
        assertThat(beta.provesPresent(golden, h("beta"), h("value:beta"))).isTrue();
        assertThat(absent.provesAbsent(golden, h("epsilon"))).isTrue();
        assertThat(deep.provesPresent(golden, alpha, h("value:alpha"))).isTrue();
    }
}
