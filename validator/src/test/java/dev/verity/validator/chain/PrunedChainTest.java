package dev.verity.validator.chain;

import static dev.verity.validator.chain.ChainTraffic.CLIENT;
import static dev.verity.validator.chain.ChainTraffic.PAYEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MemoryBackend;
import dev.verity.validator.storage.BlockCommit;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pruned {@link ChainNode} beside an archive one, fed the same transactions: it keeps only its newest blocks (rows
 * counted in the store), its live state is the archive's, it keeps pruning across restarts, it refuses to restart as an
 * archive, and {@code chain verify} and {@code chain repair} check what it keeps.
 */
class PrunedChainTest {
    private static final int RETAIN = 8;

    @TempDir
    Path dir;

    @Test
    void aPrunedNodeKeepsItsNewestBlocksAndTheArchivesHeadState() {
        List<Block> produced = new ArrayList<>();
        ChainTraffic traffic;
        try (ChainNode archive = ChainTraffic.open(dir.resolve("archive"), Retention.ARCHIVE);
             ChainNode pruned = ChainTraffic.open(dir.resolve("pruned"), RETAIN)) {
            pruned.addListener((block, events) -> produced.add(block));
            traffic = new ChainTraffic(archive, pruned);
            traffic.blocks(60);

            assertThat(pruned.retention()).isEqualTo(new Retention(RETAIN, 60 - RETAIN + 1));
            assertThat(archive.retention()).isEqualTo(new Retention(Retention.ARCHIVE, 0));
            assertThat(pruned.status().stateRoot()).isEqualTo(archive.status().stateRoot());
            assertThat(pruned.status().history()).isEqualTo("pruned");
            assertThat(pruned.status().lowestHeight()).isEqualTo(53);
            for (var key : List.of(CLIENT.publicKey(), PAYEE.publicKey())) {
                Account kept = pruned.read(s -> s.account(key));
                assertThat(kept).isEqualTo(archive.read(s -> s.account(key)));
            }
            assertThat(pruned.nextNonce(CLIENT.publicKey())).isEqualTo(archive.nextNonce(CLIENT.publicKey())).isEqualTo(118);

            assertThatThrownBy(() -> pruned.block(52)).isInstanceOf(HistoryPrunedException.class)
                    .hasMessageContaining("block 52 was pruned").hasMessageContaining("from height 53 on");
            assertThat(pruned.block(53)).isPresent();
            assertThat(pruned.block(61)).isEmpty();
            assertThat(archive.block(1)).isPresent();
            assertThatThrownBy(() -> pruned.eventsSince(52, 0, 10)).isInstanceOf(HistoryPrunedException.class);
            assertThat(pruned.eventsSince(53, 0, 1000)).isNotEmpty().allSatisfy(e -> assertThat(e.height()).isGreaterThanOrEqualTo(53));

            // A job submitted in block h expires (no node serves its model) in block h + 2 and leaves for the archive.
            Hash old = traffic.job(40);
            Hash recent = traffic.job(55);
            assertThat(archive.archivedJob(old)).isPresent();
            assertThat(pruned.archivedJob(old)).isEmpty();
            assertThat(pruned.archivedJob(recent)).isPresent();
            assertThat(pruned.archivedJob(recent).get().job()).isEqualTo(archive.archivedJob(recent).get().job());
            assertThat(pruned.receipt(traffic.transactions(40).get(1)).status()).isEqualTo("UNKNOWN");
            assertThat(pruned.receipt(traffic.transactions(55).get(1)).height()).isEqualTo(55);
        }

        // The same blocks replayed from genesis, as an archive holds them, give the pruned node's head state.
        Ledger replay = Ledger.fromGenesis(ChainTraffic.genesis(), EvidenceVerifiers.standard(),
                new LedgerState(new MemoryBackend(), LedgerState.DEFAULT_CACHE_ROWS));
        Hash previous = ChainTraffic.genesis().hash();
        for (Block b : produced) {
            BlockExecution.execute(replay, b, previous);
            previous = b.hash();
        }
        try (ChainStore archive = ChainStore.open(dir.resolve("archive"));
             ChainStore pruned = ChainStore.open(dir.resolve("pruned"))) {
            assertThat(replay.state().root().bytes()).isEqualTo(produced.get(59).header().stateRoot().bytes());
            assertThat(rows(pruned)).isEqualTo(rows(archive));

            Map<String, Long> kept = pruned.rowCounts();
            Map<String, Long> all = archive.rowCounts();
            assertThat(kept).containsEntry("blocks", RETAIN + 1L).containsEntry("blockHashes", RETAIN + 1L)
                    .containsEntry("transactions", 2L * RETAIN).containsEntry("jobArchive", (long) RETAIN)
                    .containsEntry("jobsBySubmit", (long) RETAIN).containsEntry("jobsByFinish", (long) RETAIN);
            assertThat(kept.get("events")).isLessThan(all.get("events") / 5);
            assertThat(kept.get("eventIndex")).isLessThan(all.get("eventIndex") / 5);
            assertThat(all).containsEntry("blocks", 61L).containsEntry("transactions", 1L + 2 * 59)
                    .containsEntry("jobArchive", 57L).containsEntry("jobsByFinish", 0L);
            assertThat(kept.get("state")).isEqualTo(all.get("state"));
        }
    }

    @Test
    void aPrunedNodeKeepsPruningAfterARestartAndRefusesToRestartAsAnArchive() {
        Path data = dir.resolve("pruned");
        ChainTraffic traffic;
        try (ChainNode node = ChainTraffic.open(data, 5)) {
            traffic = new ChainTraffic(node);
            traffic.blocks(20);
        }
        Map<String, Long> at20;
        try (ChainStore store = ChainStore.open(data)) {
            at20 = store.rowCounts();
        }
        String root;
        try (ChainNode node = ChainTraffic.open(data, 5)) {
            assertThat(node.retention()).isEqualTo(new Retention(5, 16));
            traffic = traffic.on(node);
            traffic.blocks(30);
            assertThat(node.retention()).isEqualTo(new Retention(5, 46));
            root = node.status().stateRoot();
        }
        try (ChainStore store = ChainStore.open(data)) {
            Map<String, Long> at50 = store.rowCounts();
            at50.remove("state");
            at20.remove("state");
            at50.remove("meta");
            at20.remove("meta");
            assertThat(at50).as("history rows do not grow with the chain").isEqualTo(at20);
        }

        assertThatThrownBy(() -> ChainTraffic.open(data, Retention.ARCHIVE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds a pruned chain").hasMessageContaining("below height 46")
                .hasMessageContaining("--retain-blocks");
        try (ChainNode node = ChainTraffic.open(data, 5)) {
            assertThat(node.status().stateRoot()).as("the refused start changed nothing").isEqualTo(root);
        }
    }

    @Test
    void verifyAndRepairCheckWhatAPrunedStoreKeepsAndSayWhatVerifyCannot() {
        Path data = dir.resolve("pruned");
        try (ChainNode node = ChainTraffic.open(data, 5)) {
            new ChainTraffic(node).blocks(20);
        }
        ChainVerifier.Report report = ChainVerifier.verify(data);
        assertThat(report.problem()).isNull();
        assertThat(report.replayed()).isFalse();
        assertThat(report.blocks()).isEqualTo(5);
        assertThat(report.transactions()).isEqualTo(10);
        assertThat(report.history()).isEqualTo(new Retention(5, 16));
        assertThat(report.stateRoot()).isEqualTo(report.storedStateRoot());
        assertThat(report.checks()).contains("signature", "events root", "state root");
        assertThat(report.cannotCheck()).contains("no block is re-executed");

        ChainRepair.Report repair = ChainRepair.repair(data);
        assertThat(repair.problems()).isEmpty();
        assertThat(repair.history()).isEqualTo(new Retention(5, 16));
        try (ChainNode node = ChainTraffic.open(data, 5)) {
            assertThat(node.retention().lowestHeight()).as("repair kept what the store keeps").isEqualTo(16);
        }

        // A kept block that is not what the chain produced is found.
        try (ChainStore store = ChainStore.open(data)) {
            store.commitBlock(new BlockCommit(21, new byte[32], Bytes.utf8("not a block"), List.of(), Map.of(), List.of(), null));
        }
        assertThat(ChainVerifier.verify(data).problem()).contains("block 21 does not decode");
        assertThat(ChainRepair.repair(data).problems()).extracting(ChainRepair.Problem::entry).contains("at height 21");
    }

    @Test
    void anotherChainsDirectoryIsRefusedBeforeAnythingIsPruned() {
        Path data = dir.resolve("other");
        dev.verity.ledger.Genesis other = dev.verity.testkit.TestGenesis.chain("another-chain")
                .validator(ChainTraffic.VALIDATOR).build();
        try (ChainNode node = ChainNode.open(NodeConfig.defaults(data), other, ChainTraffic.VALIDATOR)) {
            for (int i = 0; i < 10; i++) {
                node.produceBlock();
            }
        }
        assertThatThrownBy(() -> ChainTraffic.open(data, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another chain");
        try (ChainStore store = ChainStore.open(data)) {
            assertThat(store.retention()).isEqualTo(new Retention(Retention.ARCHIVE, 0));
            assertThat(store.block(1)).isPresent();
        }
    }

    @Test
    void aPrunedNodeThatPrunedNothingYetIsReplayedInFull() {
        Path data = dir.resolve("young");
        try (ChainNode node = ChainTraffic.open(data, 100)) {
            new ChainTraffic(node).blocks(10);
        }
        ChainVerifier.Report report = ChainVerifier.verify(data);
        assertThat(report.problem()).isNull();
        assertThat(report.replayed()).isTrue();
        assertThat(report.blocks()).isEqualTo(10);
        assertThat(report.history()).isEqualTo(new Retention(100, 0));
        try (ChainNode node = ChainTraffic.open(data, Retention.ARCHIVE)) {
            assertThat(node.retention().archive()).as("nothing was deleted: it may become an archive").isTrue();
        }
    }

    private static TreeMap<ByteKey, String> rows(ChainStore store) {
        TreeMap<ByteKey, String> rows = new TreeMap<>();
        store.forEachState((k, v) -> rows.put(ByteKey.of(k), java.util.HexFormat.of().formatHex(v)));
        return rows;
    }
}
