package dev.verity.validator.storage;

import static dev.verity.validator.storage.TestBytes.b;
import static dev.verity.validator.storage.TestBytes.hash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.ByteKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random commits, with reopens along the way, must leave the same state as an in-memory sorted map. */
class ChainStorePropertyTest {

    private static final int COMMITS = 150;

    @TempDir
    Path dir;

    @Test
    void randomCommitsMatchASortedMapModel() {
        Random random = new Random(20260101L);
        TreeMap<ByteKey, byte[]> model = new TreeMap<>();
        ChainStore store = ChainStore.open(dir);
        try {
            for (int height = 0; height < COMMITS; height++) {
                Map<ByteKey, byte[]> writes = new HashMap<>();
                int count = random.nextInt(12);
                for (int i = 0; i < count; i++) {
                    ByteKey key = randomKey(random);
                    byte[] value = random.nextInt(3) == 0 ? null : randomBytes(random, random.nextInt(6));
                    writes.put(key, value);
                }
                store.commitBlock(new BlockCommit(height, hash("block" + height), b("block" + height), List.of(),
                        writes, List.of(), null));
                writes.forEach((key, value) -> {
                    if (value == null) model.remove(key);
                    else model.put(key, value);
                });
                if (random.nextInt(25) == 0) {
                    store.close();
                    store = ChainStore.open(dir);
                }
            }
            store.close();
            store = ChainStore.open(dir);

            assertThat(store.headHeight()).isEqualTo(COMMITS - 1);
            assertThat(stateOf(store, new byte[0])).containsExactlyElementsOf(entries(model));
            for (int table = 0; table < 256; table += 0x7F) {
                byte[] prefix = {(byte) table};
                assertThat(stateOf(store, prefix))
                        .containsExactlyElementsOf(entries(model.subMap(ByteKey.of(prefix), true,
                                ByteKey.of(new byte[] {(byte) table, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}), true)));
            }
            for (int i = 0; i < 200; i++) {
                ByteKey key = randomKey(random);
                assertThat(store.state(key.bytes()).map(ByteKey::of)).isEqualTo(
                        Optional.ofNullable(model.get(key)).map(ByteKey::of));
            }
        } finally {
            store.close();
        }
    }

    /** Keys of 1 to 3 bytes over a small alphabet that includes bytes above 0x7F, so keys collide and sort unsigned. */
    private static ByteKey randomKey(Random random) {
        byte[] alphabet = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
        byte[] key = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < key.length; i++) key[i] = alphabet[random.nextInt(alphabet.length)];
        return ByteKey.of(key);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static List<Map.Entry<ByteKey, ByteKey>> stateOf(ChainStore store, byte[] prefix) {
        List<Map.Entry<ByteKey, ByteKey>> entries = new ArrayList<>();
        store.forEachState(prefix, (k, v) -> entries.add(Map.entry(ByteKey.of(k), ByteKey.of(v))));
        return entries;
    }

    private static List<Map.Entry<ByteKey, ByteKey>> entries(Map<ByteKey, byte[]> map) {
        return map.entrySet().stream().map(e -> Map.entry(e.getKey(), ByteKey.of(e.getValue()))).toList();
    }
}
