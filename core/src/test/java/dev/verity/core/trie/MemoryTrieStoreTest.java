package dev.verity.core.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemoryTrieStoreTest {

    /** Random puts and deletes of short keys (many collisions in the table) against a sorted map. */
    @Test
    void behavesAsASortedMap() {
        Random random = new Random(5);
        MemoryTrieStore store = new MemoryTrieStore();
        TreeMap<byte[], byte[]> model = new TreeMap<>(NodePosition.KEY_ORDER);
        for (int round = 0; round < 300; round++) {
            TreeMap<byte[], byte[]> writes = new TreeMap<>(NodePosition.KEY_ORDER);
            for (int i = random.nextInt(200); i > 0; i--) {
                byte[] key = {0, 9, (byte) random.nextInt(40), (byte) random.nextInt(40)};
                byte[] value = random.nextInt(3) == 0 ? null : Bytes.utf8("v" + random.nextInt());
                writes.put(key, value);
            }
            store.apply(TrieUpdate.of(Hash.ZERO, writes));
            for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
                if (w.getValue() == null) {
                    model.remove(w.getKey());
                } else {
                    model.put(w.getKey(), w.getValue());
                }
            }
            assertThat(store.size()).isEqualTo(model.size());
            SortedMap<byte[], byte[]> nodes = store.nodes();
            assertThat(nodes.keySet()).containsExactlyElementsOf(model.keySet());
            for (int a = 0; a < 40; a++) {
                for (int b = 0; b < 40; b++) {
                    byte[] key = {0, 9, (byte) a, (byte) b};
                    assertThat(Arrays.equals(store.get(key), model.get(key))).isTrue();
                }
            }
        }
    }

    @Test
    void holdsOnlyWhatATrieStores() {
        MemoryTrieStore store = new MemoryTrieStore();
        TreeMap<byte[], byte[]> tooLong = new TreeMap<>(NodePosition.KEY_ORDER);
        tooLong.put(new byte[35], new byte[65]);
        assertThatThrownBy(
                        () -> store.apply(TrieUpdate.of(Hash.ZERO, tooLong)))
                .isInstanceOf(IllegalArgumentException.class);
        TreeMap<byte[], byte[]> bigNode = new TreeMap<>(NodePosition.KEY_ORDER);
        bigNode.put(new byte[2], new byte[66]);
        assertThatThrownBy(
                        () -> store.apply(TrieUpdate.of(Hash.ZERO, bigNode)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get(new byte[0])).isNull();
        assertThat(store.get(new byte[40])).isNull();
        assertThat(store.size()).isZero();
    }
}
