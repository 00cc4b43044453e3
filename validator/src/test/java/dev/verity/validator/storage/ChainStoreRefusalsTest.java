package dev.verity.validator.storage;

import static dev.verity.validator.storage.TestBytes.b;
import static dev.verity.validator.storage.TestBytes.emptyBlock;
import static dev.verity.validator.storage.TestBytes.hash;
import static dev.verity.validator.storage.TestBytes.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * Stored refusals: written with the block (or alone), leaving the mempool in the same batch, bounded, durable, with
 * the reject code and the message apart (and read so from entries written before they were).
 */
class ChainStoreRefusalsTest {

    @TempDir
    Path dir;

    private static StoredRefusal refusal(String tx, long height, String code, String message) {
        return new StoredRefusal(hash(tx), height, code, message);
    }

    /** A refusal whose message is its code's, for tests about which refusals are kept. */
    private static StoredRefusal refusal(String tx, long height, String code) {
        return refusal(tx, height, code, "why " + code);
    }

    private static BlockCommit refusingBlock(long height, StoredRefusal... refusals) {
        return new BlockCommit(height, hash("block" + height), b("block" + height), List.of(), Map.of(), List.of(), null,
                List.of(refusals));
    }

    private static String reason(ChainStore store, String tx) {
        return store.refusal(hash(tx)).map(r -> {
            assertThat(r.message()).isEqualTo("why " + r.code());
            return r.code();
        }).orElse(null);
    }

    @Test
    void aBlocksRefusalsLeaveTheMempoolAndSurviveReopen() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(emptyBlock(0));
            store.putMempool(hash("tx1"), b("one"));
            store.putMempool(hash("tx2"), b("two"));
            store.putMempool(hash("tx3"), b("three"));
            store.commitBlock(new BlockCommit(1, hash("block1"), b("block1"), List.of(hash("tx1")), Map.of(), List.of(), null,
                    List.of(refusal("tx2", 1, "MODEL_EXISTS", "model m: already registered"))));
            assertThat(store.inMempool(hash("tx2"))).isFalse();
            assertThat(strings(store.mempoolTransactions())).containsExactly("three");
        }
        try (ChainStore store = ChainStore.open(dir)) {
            StoredRefusal r = store.refusal(hash("tx2")).orElseThrow();
            assertThat(r.height()).isEqualTo(1);
            assertThat(r.txHash()).isEqualTo(hash("tx2"));
            assertThat(r.code()).isEqualTo("MODEL_EXISTS");
            assertThat(r.message()).as("a colon in the message is its own").isEqualTo("model m: already registered");
            assertThat(store.refusal(hash("tx1"))).as("included, not refused").isEmpty();
            assertThat(store.refusal(hash("tx3"))).isEmpty();
            assertThat(strings(store.mempoolTransactions())).containsExactly("three");
        }
    }

    @Test
    void refusingOutsideABlockDropsFromTheMempoolInOneBatch() {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(emptyBlock(0));
            store.putMempool(hash("tx1"), b("one"));
            store.putMempool(hash("tx2"), b("two"));
            store.refuse(List.of(refusal("tx1", 0, "BAD_NONCE", "already included")));
            store.refuse(List.of());
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(strings(store.mempoolTransactions())).containsExactly("two");
            assertThat(store.refusal(hash("tx1")).orElseThrow()).extracting(StoredRefusal::code, StoredRefusal::message)
                    .containsExactly("BAD_NONCE", "already included");
            assertThat(store.headHeight()).as("no block was written").isZero();
        }
    }

    @Test
    void onlyTheNewestRefusalsAreKeptAcrossReopens() {
        try (ChainStore store = ChainStore.open(dir, 3)) {
            store.commitBlock(refusingBlock(0, refusal("a", 0, "A"), refusal("b", 0, "B")));
            store.commitBlock(refusingBlock(1, refusal("c", 1, "C")));
            assertThat(List.of("a", "b", "c")).allSatisfy(tx -> assertThat(reason(store, tx)).isNotNull());
            store.commitBlock(refusingBlock(2, refusal("d", 2, "D"), refusal("e", 2, "E")));
            assertThat(reason(store, "a")).isNull();
            assertThat(reason(store, "b")).isNull();
            assertThat(reason(store, "c")).isEqualTo("C");
            assertThat(reason(store, "e")).isEqualTo("E");
        }
        try (ChainStore store = ChainStore.open(dir, 3)) {
            store.refuse(List.of(refusal("f", 2, "F")));
            assertThat(reason(store, "c")).as("the oldest goes first").isNull();
            assertThat(List.of("d", "e", "f")).allSatisfy(tx -> assertThat(reason(store, tx)).isNotNull());
        }
    }

    @Test
    void aTransactionRefusedAgainKeepsItsNewestRefusalAndCountsOnce() {
        try (ChainStore store = ChainStore.open(dir, 2)) {
            store.commitBlock(refusingBlock(0, refusal("a", 0, "FIRST"), refusal("b", 0, "B")));
            store.commitBlock(refusingBlock(1, refusal("a", 1, "SECOND")));
            StoredRefusal a = store.refusal(hash("a")).orElseThrow();
            assertThat(a.code()).isEqualTo("SECOND");
            assertThat(a.height()).isEqualTo(1);
            assertThat(reason(store, "b")).isEqualTo("B");
            store.commitBlock(refusingBlock(2, refusal("c", 2, "C")));
            assertThat(reason(store, "b")).as("b is now the oldest").isNull();
            assertThat(reason(store, "a")).isEqualTo("SECOND");
            assertThat(reason(store, "c")).isEqualTo("C");
        }
    }

    @Test
    void manyRefusalsStayWithinTheBound() {
        int max = 50;
        try (ChainStore store = ChainStore.open(dir, max)) {
            for (int height = 0; height < 40; height++) {
                List<StoredRefusal> block = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    block.add(refusal("tx " + height + "/" + i, height, "R" + height));
                }
                store.commitBlock(refusingBlock(height, block.toArray(StoredRefusal[]::new)));
            }
            int kept = 0;
            for (int height = 0; height < 40; height++) {
                for (int i = 0; i < 7; i++) {
                    if (store.refusal(hash("tx " + height + "/" + i)).isPresent()) kept++;
                }
            }
            assertThat(kept).isEqualTo(max);
            assertThat(reason(store, "tx 39/6")).isEqualTo("R39");
            assertThat(reason(store, "tx 32/6")).as("the 50th newest").isEqualTo("R32");
            assertThat(reason(store, "tx 32/5")).as("the 51st newest").isNull();
        }
    }

    @Test
    void aStoreWrittenBeforeRefusalsWereStoredOpensWithItsBlocks() throws Exception {
        // The column families of the earlier layout, written directly: no refusal families yet.
        List<String> old = List.of("blocks", "blockHashes", "transactions", "state", "events", "eventIndex", "mempool",
                "mempoolOrder", "meta");
        Path db = dir.resolve("db");
        Files.createDirectories(db);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        old.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(b(name))));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
            rocks.put(handles.get(1), Keys.u64(0), b("block zero"));
            rocks.put(handles.get(9), b("head.height"), Keys.u64(0));
            handles.forEach(ColumnFamilyHandle::close);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.headHeight()).isZero();
            assertThat(store.block(0).map(TestBytes::s)).contains("block zero");
            assertThat(store.refusal(hash("x"))).isEmpty();
            store.commitBlock(refusingBlock(1, refusal("x", 1, "X")));
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(reason(store, "x")).isEqualTo("X");
        }
    }

    @Test
    void aRefusalStoredAsOneTextBeforeCodesWereKeptApartIsReadWithItsCodeApart() throws Exception {
        try (ChainStore store = ChainStore.open(dir)) {
            store.commitBlock(emptyBlock(0));
        }
        // Entries as earlier versions wrote them: height, sequence, then "CODE: message" in UTF-8.
        List<String> families = List.of("blocks", "blockHashes", "transactions", "state", "events", "eventIndex", "mempool",
                "mempoolOrder", "meta", "refusals", "refusalOrder", "jobArchive", "jobsBySubmit", "jobsByFinish", "finality");
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        families.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(b(name))));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB rocks = RocksDB.open(options, dir.resolve("db").toString(), descriptors, handles)) {
            rocks.put(handles.get(10), hash("old"), legacy(3, 0, "INSUFFICIENT_FUNDS: balance 5: below 7"));
            rocks.put(handles.get(11), Keys.u64(0), hash("old"));
            rocks.put(handles.get(10), hash("odd"), legacy(3, 1, "no code here"));
            rocks.put(handles.get(11), Keys.u64(1), hash("odd"));
            handles.forEach(ColumnFamilyHandle::close);
        }
        try (ChainStore store = ChainStore.open(dir)) {
            StoredRefusal old = store.refusal(hash("old")).orElseThrow();
            assertThat(old.height()).isEqualTo(3);
            assertThat(old.code()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(old.message()).isEqualTo("balance 5: below 7");
            assertThat(store.refusal(hash("odd")).orElseThrow()).extracting(StoredRefusal::code, StoredRefusal::message)
                    .containsExactly(Keys.LEGACY_UNKNOWN_CODE, "no code here");
            store.refuse(List.of(refusal("new", 3, "BAD_NONCE", "")));
            assertThat(store.refusal(hash("new")).orElseThrow().message()).isEmpty();
        }
    }

    private static byte[] legacy(long height, long sequence, String text) {
        byte[] t = b(text);
        return ByteBuffer.allocate(16 + t.length).putLong(height).putLong(sequence).put(t).array();
    }

    @Test
    void invalidRefusalsAndBoundsAreRejected() {
        assertThatThrownBy(() -> new StoredRefusal(new byte[31], 0, "R", "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredRefusal(hash("a"), -1, "R", "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredRefusal(hash("a"), 0, null, "m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StoredRefusal(hash("a"), 0, "R", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StoredRefusal(hash("a"), 0, "BAD_NONCE: already", "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reject code");
        assertThatThrownBy(() -> new StoredRefusal(hash("a"), 0, "X".repeat(StoredRefusal.MAX_CODE_BYTES + 1), "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainStore.open(dir, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
