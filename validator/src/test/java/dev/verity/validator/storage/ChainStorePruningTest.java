package dev.verity.validator.storage;

import static dev.verity.validator.storage.TestBytes.b;
import static dev.verity.validator.storage.TestBytes.emptyBlock;
import static dev.verity.validator.storage.TestBytes.hash;
import static dev.verity.validator.storage.TestBytes.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * A pruned store keeps the history of its newest blocks only, whatever the chain's length; an archive keeps it all.
 * Every block here has 3 transactions, 2 events, a refused transaction and a job that finishes in it.
 */
class ChainStorePruningTest {
    private static final int TXS = 3;
    private static final int EVENTS = 2;

    /** Blocks are their hash and their transactions' hashes; an event is the one subject it is listed under. */
    static final HistoryKeys KEYS = new HistoryKeys() {
        @Override
        public BlockKeys blockKeys(byte[] block) {
            List<byte[]> txs = new ArrayList<>();
            for (int at = 32; at < block.length; at += 32) {
                txs.add(Arrays.copyOfRange(block, at, at + 32));
            }
            return new BlockKeys(Arrays.copyOf(block, 32), txs);
        }

        @Override
        public List<byte[]> eventSubjects(byte[] event) {
            return List.of(event);
        }
    };

    @TempDir
    Path dir;

    static byte[] tx(long height, int i) {
        return hash("tx " + height + "/" + i);
    }

    static byte[] job(long height) {
        return hash("job " + height);
    }

    static byte[] eventSubject(long height, int i) {
        return subject(1, "event " + height + "/" + i);
    }

    static BlockCommit block(long height) {
        List<byte[]> txs = new ArrayList<>();
        byte[] bytes = hash("block " + height);
        for (int i = 0; i < TXS; i++) {
            txs.add(tx(height, i));
            bytes = Bytes.concat(bytes, tx(height, i));
        }
        List<EventWrite> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(EventWrite.of(eventSubject(height, i), eventSubject(height, i)));
        }
        // Seven accounts, rewritten in turn: the live state does not grow with the chain.
        Map<ByteKey, byte[]> state = Map.of(ByteKey.of(b("account/" + height % 7)), b("balance " + height));
        return new BlockCommit(height, hash("block " + height), bytes, txs, state, events, null,
                List.of(new StoredRefusal(hash("refused " + height), height, "BAD_NONCE", "stale")),
                List.of(new ArchiveWrite(job(height), Math.max(0, height - 5), b("record " + height))));
    }

    /** Commits the genesis (an empty block 0) when the store is new, then blocks up to {@code head}. */
    static void commitUpTo(ChainStore store, long head) {
        if (store.headHeight() < 0) {
            store.commitBlock(emptyBlock(0));
        }
        for (long h = store.headHeight() + 1; h <= head; h++) {
            store.commitBlock(block(h));
        }
    }

    /** The rows a store holds for {@code blocks} blocks of history (besides the empty genesis and 7 state rows). */
    static Map<String, Long> historyRows(long blocks, boolean pruned) {
        return Map.ofEntries(Map.entry("blocks", blocks + 1), Map.entry("blockHashes", blocks + 1),
                Map.entry("transactions", blocks * TXS), Map.entry("events", blocks * EVENTS),
                Map.entry("eventIndex", blocks * EVENTS), Map.entry("refusals", blocks), Map.entry("refusalOrder", blocks),
                Map.entry("jobArchive", blocks), Map.entry("jobsBySubmit", blocks),
                Map.entry("jobsByFinish", pruned ? blocks : 0), Map.entry("state", 7L));
    }

    static void assertRows(ChainStore store, long blocks, boolean pruned) {
        assertThat(store.rowCounts()).containsAllEntriesOf(historyRows(blocks, pruned));
    }

    @Test
    void aPrunedStoreKeepsTheHistoryOfItsNewestBlocksOnly() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(10, KEYS);
            commitUpTo(store, 100);

            assertThat(store.retention()).isEqualTo(new Retention(10, 91));
            assertRows(store, 10, true);
            assertThat(store.block(90)).isEmpty();
            assertThat(store.block(91)).isPresent();
            assertThat(store.block(0)).as("the genesis is never pruned").isPresent();
            assertThat(store.blockByHash(hash("block 90"))).isEmpty();
            assertThat(store.blockByHash(hash("block 91"))).isPresent();
            assertThat(store.transaction(tx(90, 2))).isEmpty();
            assertThat(store.transaction(tx(91, 2))).contains(new TxLocation(91, 2));
            assertThat(store.eventsFor(eventSubject(90, 1), 0, 10)).isEmpty();
            assertThat(store.eventsFor(eventSubject(91, 1), 0, 10)).hasSize(1);
            assertThat(store.eventsSince(0, 1000)).hasSize(10 * EVENTS).allSatisfy(e -> assertThat(e.height()).isBetween(91L, 100L));
            assertThat(store.archivedJob(job(90))).isEmpty();
            assertThat(store.archivedJob(job(91))).isPresent();
            List<String> listed = new ArrayList<>();
            store.forEachArchivedJobNewestFirst(Long.MAX_VALUE >>> 1, 1000, r -> listed.add(TestBytes.s(r)));
            assertThat(listed).hasSize(10).first().isEqualTo("record 100");
            assertThat(store.refusal(hash("refused 90"))).isEmpty();
            assertThat(store.refusal(hash("refused 91"))).isPresent();
            assertThat(store.state(b("account/3"))).isPresent();
        }
    }

    @Test
    void itsRowsStayBoundedAsTheChainGrows() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(10, KEYS);
            commitUpTo(store, 60);
            Map<String, Long> at60 = store.rowCounts();
            commitUpTo(store, 400);
            assertThat(store.rowCounts()).isEqualTo(at60);
            assertThat(store.retention().lowestHeight()).isEqualTo(391);
        }
    }

    @Test
    void anArchiveStoreKeepsEverything() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(Retention.ARCHIVE, KEYS);
            commitUpTo(store, 50);
            assertThat(store.retention()).isEqualTo(new Retention(Retention.ARCHIVE, 0));
            assertRows(store, 50, false);
            assertThat(store.block(1)).isPresent();
            assertThat(store.archivedJob(job(1))).isPresent();
        }
    }

    @Test
    void aRestartKnowsWhatTheStoreKeepsAndKeepsPruning() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(10, KEYS);
            commitUpTo(store, 50);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.retention()).as("read back before the node sets it").isEqualTo(new Retention(10, 41));
            store.retain(10, KEYS);
            commitUpTo(store, 80);
            assertThat(store.retention()).isEqualTo(new Retention(10, 71));
            assertRows(store, 10, true);
        }
    }

    @Test
    void aSmallerWindowPrunesAtOnceAndALargerOneRefillsAsTheChainGrows() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(20, KEYS);
            commitUpTo(store, 50);
            assertThat(store.retention().lowestHeight()).isEqualTo(31);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(5, KEYS);
            assertThat(store.retention()).isEqualTo(new Retention(5, 46));
            assertRows(store, 5, true);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(50, KEYS);
            commitUpTo(store, 60);
            assertThat(store.retention()).as("deleted history does not come back").isEqualTo(new Retention(50, 46));
            commitUpTo(store, 120);
            assertThat(store.retention()).isEqualTo(new Retention(50, 71));
            assertRows(store, 50, true);
        }
    }

    @Test
    void anArchiveTurnedPrunedDropsItsOldBlocksAtOnceAndKeepsItsArchivedJobsOneWindowLonger() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(Retention.ARCHIVE, KEYS);
            commitUpTo(store, 100);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(10, KEYS);
            assertThat(store.retention()).isEqualTo(new Retention(10, 91));
            assertThat(store.rowCounts()).containsEntry("blocks", 11L).containsEntry("events", 10L * EVENTS)
                    .containsEntry("transactions", 10L * TXS).containsEntry("refusals", 10L);
            // The archive never recorded when its jobs finished: they count as finished at the head (100).
            assertThat(store.rowCounts()).containsEntry("jobArchive", 100L);
            commitUpTo(store, 109);
            assertThat(store.archivedJob(job(1))).isPresent();
            commitUpTo(store, 110);
            assertThat(store.archivedJob(job(1))).isEmpty();
            assertThat(store.archivedJob(job(100))).isEmpty();
            assertRows(store, 10, true);
        }
    }

    @Test
    void aStoreThatDeletedHistoryCannotKeepEverythingAgain() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.retain(5, KEYS);
            commitUpTo(store, 20);
            assertThatThrownBy(() -> store.retain(Retention.ARCHIVE, KEYS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("below height 16");
            assertThat(store.retention()).isEqualTo(new Retention(5, 16));
        }
        Path other = dir.resolve("young");
        try (ChainStore store = ChainStore.open(other)) {
            store.retain(100, KEYS);
            commitUpTo(store, 20);
            store.retain(Retention.ARCHIVE, KEYS); // nothing was deleted yet
            commitUpTo(store, 130);
            assertThat(store.retention()).isEqualTo(new Retention(Retention.ARCHIVE, 0));
            assertThat(store.block(1)).isPresent();
        }
    }

    @Test
    void aCommitThatFailsPrunesNothing() {
        AtomicBoolean diskFull = new AtomicBoolean();
        StoreFaults faults = operation -> {
            if (diskFull.get()) throw new RocksDBException("IO error: No space left on device");
        };
        try (ChainStore store = ChainStore.open(dir, ChainStore.DEFAULT_MAX_REFUSALS, false, faults)) {
            store.retain(10, KEYS);
            commitUpTo(store, 30);
            diskFull.set(true);
            assertThatThrownBy(() -> store.commitBlock(block(31))).isInstanceOf(StorageException.class);
            assertThat(store.retention().lowestHeight()).isEqualTo(21);
            assertThat(store.block(21)).isPresent();
            diskFull.set(false);
            store.commitBlock(block(31));
            assertThat(store.retention().lowestHeight()).isEqualTo(22);
            assertRows(store, 10, true);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.retention()).isEqualTo(new Retention(10, 22));
        }
    }

    @Test
    void historyMetaIsReservedToTheStore() {
        try (ChainStore store = ChainStore.open(dir)) {
            assertThatThrownBy(() -> store.putMeta("history.lowestHeight", new byte[8])).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
