package dev.verity.validator.storage;

import static dev.verity.validator.storage.TestBytes.b;
import static dev.verity.validator.storage.TestBytes.emptyBlock;
import static dev.verity.validator.storage.TestBytes.hash;
import static dev.verity.validator.storage.TestBytes.s;
import static dev.verity.validator.storage.TestBytes.strings;
import static dev.verity.validator.storage.TestBytes.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.verity.core.ByteKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreTest {

    @TempDir
    Path dir;

    @Test
    void emptyStore() {
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.headHeight()).isEqualTo(-1);
            assertThat(store.headHash()).isEmpty();
            assertThat(store.headMeta()).isEmpty();
            assertThat(store.block(0)).isEmpty();
            assertThat(store.block(-1)).isEmpty();
            assertThat(store.mempoolTransactions()).isEmpty();
            assertThat(store.eventsSince(0, 10)).isEmpty();
            List<String> state = new ArrayList<>();
            store.forEachState((k, v) -> state.add(s(k)));
            assertThat(state).isEmpty();
        }
        assertThat(dir.resolve("db")).isDirectory();
    }

    @Test
    void committedBlocksSurviveReopen() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(new BlockCommit(0, hash("b0"), b("block zero"), List.of(hash("tx0")),
                    Map.of(ByteKey.of(b("a/1")), b("one")), List.of(EventWrite.of(b("e0"), subject(1, "job"))), b("meta0")));
            store.commitBlock(new BlockCommit(1, hash("b1"), b("block one"), List.of(hash("tx1"), hash("tx2")),
                    Map.of(ByteKey.of(b("a/2")), b("two")), List.of(EventWrite.of(b("e1")), EventWrite.of(b("e2"))),
                    b("meta1")));
        }

        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.headHeight()).isEqualTo(1);
            assertThat(store.headHash()).contains(hash("b1"));
            assertThat(store.headMeta().map(TestBytes::s)).contains("meta1");
            assertThat(store.block(0).map(TestBytes::s)).contains("block zero");
            assertThat(store.block(1).map(TestBytes::s)).contains("block one");
            assertThat(store.block(2)).isEmpty();
            assertThat(store.blockByHash(hash("b1")).map(TestBytes::s)).contains("block one");
            assertThat(store.blockByHash(hash("nope"))).isEmpty();
            assertThat(store.transaction(hash("tx0"))).contains(new TxLocation(0, 0));
            assertThat(store.transaction(hash("tx2"))).contains(new TxLocation(1, 1));
            assertThat(store.transaction(hash("tx9"))).isEmpty();
            assertThat(store.state(b("a/1")).map(TestBytes::s)).contains("one");
            assertThat(store.state(b("a/2")).map(TestBytes::s)).contains("two");
            assertThat(strings(store.events(0))).containsExactly("e0");
            assertThat(strings(store.events(1))).containsExactly("e1", "e2");
            assertThat(store.eventsSince(0, 10)).containsExactly(
                    new StoredEvent(0, 0, b("e0")), new StoredEvent(1, 0, b("e1")), new StoredEvent(1, 1, b("e2")));
            assertThat(store.eventsSince(1, 1)).containsExactly(new StoredEvent(1, 0, b("e1")));
            assertThat(strings(store.eventsFor(subject(1, "job"), 0, 10))).containsExactly("e0");
        }
    }

    @Test
    void stateWritesOverwriteAndDelete() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(withState(0, Map.of(ByteKey.of(b("k1")), b("v1"), ByteKey.of(b("k2")), b("v2"),
                    ByteKey.of(b("k3")), b("v3"))));
            Map<ByteKey, byte[]> writes = new HashMap<>();
            writes.put(ByteKey.of(b("k1")), null);
            writes.put(ByteKey.of(b("k2")), b("v2'"));
            writes.put(ByteKey.of(b("absent")), null);
            store.commitBlock(withState(1, writes));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.state(b("k1"))).isEmpty();
            Map<String, String> state = new LinkedHashMap<>();
            store.forEachState((k, v) -> state.put(s(k), s(v)));
            assertThat(state).containsExactly(Map.entry("k2", "v2'"), Map.entry("k3", "v3"));
        }
    }

    @Test
    void forEachStateVisitsKeysInUnsignedOrderAndByPrefix() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(withState(0, Map.of(
                    ByteKey.of(new byte[] {2, (byte) 0x80}), b("c"),
                    ByteKey.of(new byte[] {2, 0x01}), b("b"),
                    ByteKey.of(new byte[] {1, (byte) 0xFF}), b("a"),
                    ByteKey.of(new byte[] {3}), b("d"))));

            List<String> all = new ArrayList<>();
            store.forEachState((k, v) -> all.add(s(v)));
            List<String> table2 = new ArrayList<>();
            store.forEachState(new byte[] {2}, (k, v) -> table2.add(s(v)));

            assertThat(all).containsExactly("a", "b", "c", "d");
            assertThat(table2).containsExactly("b", "c");
        }
    }

    @Test
    void mempoolKeepsInsertionOrderAcrossReopen() {
        try (ChainStore store = ChainStore.open(dir)) {
            for (String tx : List.of("zeta", "alpha", "mu", "beta")) {
                store.putMempool(hash(tx), b(tx));
            }
            store.putMempool(hash("alpha"), b("alpha")); // already pending: keeps its place
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(strings(store.mempoolTransactions())).containsExactly("zeta", "alpha", "mu", "beta");
            store.removeMempool(hash("mu"));
            store.removeMempool(hash("never added"));
            store.putMempool(hash("omega"), b("omega"));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(strings(store.mempoolTransactions())).containsExactly("zeta", "alpha", "beta", "omega");
            assertThat(store.inMempool(hash("alpha"))).isTrue();
            assertThat(store.inMempool(hash("mu"))).isFalse();
        }
    }

    @Test
    void newMempoolEntriesGoLastAfterReopen() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.putMempool(hash("first"), b("first"));
            store.putMempool(hash("second"), b("second"));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            store.putMempool(hash("third"), b("third"));
            assertThat(strings(store.mempoolTransactions())).containsExactly("first", "second", "third");
        }
    }

    @Test
    void commitBlockRemovesIncludedTransactionsFromMempool() {
        try (ChainStore store = ChainStore.open(dir)) {
            for (String tx : List.of("t1", "t2", "t3", "t4")) {
                store.putMempool(hash(tx), b(tx));
            }
            store.commitBlock(new BlockCommit(0, hash("b0"), b("b0"), List.of(hash("t3"), hash("t1"), hash("t9")),
                    Map.of(), List.of(), null));

            assertThat(strings(store.mempoolTransactions())).containsExactly("t2", "t4");
            assertThat(store.inMempool(hash("t1"))).isFalse();
            assertThat(store.transaction(hash("t1"))).contains(new TxLocation(0, 1));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(strings(store.mempoolTransactions())).containsExactly("t2", "t4");
        }
    }

    @Test
    void eventsForListsOneSubjectInOrderFromAPositionWithALimit() {
        byte[] job = subject(1, "job-a");
        byte[] otherJob = subject(1, "job-b");
        byte[] node = subject(2, "node-a");
        byte[] shorter = new byte[] {1}; // a prefix of job's bytes: must not pick up job's events
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(withEvents(0, EventWrite.of(b("0.0"), job, node), EventWrite.of(b("0.1"), otherJob)));
            store.commitBlock(withEvents(1, EventWrite.of(b("1.0"), otherJob), EventWrite.of(b("1.1"), job),
                    EventWrite.of(b("1.2"), job)));
            store.commitBlock(withEvents(2));
            store.commitBlock(withEvents(3, EventWrite.of(b("3.0"), node, job)));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(strings(store.eventsFor(job, 0, 100))).containsExactly("0.0", "1.1", "1.2", "3.0");
            assertThat(strings(store.eventsFor(job, 1, 100))).containsExactly("1.1", "1.2", "3.0");
            assertThat(strings(store.eventsFor(job, 2, 100))).containsExactly("3.0");
            assertThat(strings(store.eventsFor(job, 4, 100))).isEmpty();
            assertThat(strings(store.eventsFor(job, 0, 2))).containsExactly("0.0", "1.1");
            assertThat(strings(store.eventsFor(job, 0, 0))).isEmpty();
            assertThat(strings(store.eventsFor(otherJob, 0, 100))).containsExactly("0.1", "1.0");
            assertThat(strings(store.eventsFor(node, 0, 100))).containsExactly("0.0", "3.0");
            assertThat(strings(store.eventsFor(shorter, 0, 100))).isEmpty();
            assertThat(strings(store.eventsFor(subject(3, "nobody"), 0, 100))).isEmpty();
            assertThat(strings(store.events(2))).isEmpty();
            assertThat(store.eventsSince(1, 100)).extracting(StoredEvent::height, StoredEvent::index)
                    .containsExactly(
                            tuple(1L, 0), tuple(1L, 1),
                            tuple(1L, 2), tuple(3L, 0));
            assertThatThrownBy(() -> store.eventsFor(job, 0, -1)).isInstanceOf(IllegalArgumentException.class);

            // From a position (height, index): the rest of that block, then the later blocks whole.
            assertThat(strings(store.eventsFor(job, 1, 2, 100))).containsExactly("1.2", "3.0");
            assertThat(strings(store.eventsFor(job, 1, 3, 100))).containsExactly("3.0");
            assertThat(strings(store.eventsFor(job, 0, 1, 1))).containsExactly("1.1");
            assertThat(strings(store.eventsFor(job, 1, 0, 100))).isEqualTo(strings(store.eventsFor(job, 1, 100)));
            assertThat(store.eventsSince(1, 1, 100)).extracting(StoredEvent::height, StoredEvent::index)
                    .containsExactly(tuple(1L, 1), tuple(1L, 2), tuple(3L, 0));
            assertThat(store.eventsSince(1, 3, 100)).extracting(StoredEvent::height, StoredEvent::index)
                    .containsExactly(tuple(3L, 0));
        }
    }

    @Test
    void metaValuesSurviveReopenAndHeadNamesAreReserved() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.putMeta(ChainStore.META_GENESIS, b("genesis doc"));
            store.putMeta("custom", b("x"));
            store.putMeta("custom", b("y"));
            assertThatThrownBy(() -> store.putMeta("head.height", b("oops")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.meta(ChainStore.META_GENESIS).map(TestBytes::s)).contains("genesis doc");
            assertThat(store.meta("custom").map(TestBytes::s)).contains("y");
            assertThat(store.meta("missing")).isEmpty();
        }
    }

    @Test
    void headMetaFollowsTheLastCommit() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(new BlockCommit(0, hash("b0"), b("b0"), List.of(), Map.of(), List.of(), b("m0")));
            assertThat(store.headMeta().map(TestBytes::s)).contains("m0");
            store.commitBlock(emptyBlock(1));
            assertThat(store.headMeta()).isEmpty();
            assertThat(store.headHash()).contains(hash("block1"));
        }
    }

    @Test
    void rejectsHeightsNotAboveTheHead() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(emptyBlock(0));
            store.commitBlock(emptyBlock(1));

            assertThatThrownBy(() -> store.commitBlock(emptyBlock(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not above head height 1");
            assertThatThrownBy(() -> store.commitBlock(emptyBlock(0))).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.headHeight()).isEqualTo(1);
        }
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> new BlockCommit(0, new byte[31], b("b"), List.of(), Map.of(), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockHash must be 32 bytes");
        assertThatThrownBy(() -> new BlockCommit(-1, hash("b"), b("b"), List.of(), Map.of(), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventWrite.of(b("e"), new byte[0])).isInstanceOf(IllegalArgumentException.class);
        try (ChainStore store = ChainStore.open(dir)) {
            assertThatThrownBy(() -> store.putMempool(new byte[5], b("tx"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closedStoreRefusesUseAndCloseIsIdempotent() {
        ChainStore store = ChainStore.open(dir);
        store.close();
        store.close();

        assertThatThrownBy(() -> store.block(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.commitBlock(emptyBlock(0))).isInstanceOf(IllegalStateException.class);
    }

    private static BlockCommit withState(long height, Map<ByteKey, byte[]> writes) {
        return new BlockCommit(height, hash("b" + height), b("b" + height), List.of(), writes, List.of(), null);
    }

    private static BlockCommit withEvents(long height, EventWrite... events) {
        return new BlockCommit(height, hash("b" + height), b("b" + height), List.of(), Map.of(), List.of(events), null);
    }
}
