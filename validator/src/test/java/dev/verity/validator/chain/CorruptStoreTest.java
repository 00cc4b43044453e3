package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.validator.storage.BlockCommit;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.CorruptStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup errors name the data directory, the table and the entry; {@link ChainRepair} drops what it can. */
class CorruptStoreTest {
    @TempDir
    Path dir;
    NodeConfig config;
    SignedTransaction pending = FailStopTest.transfer(0);

    @BeforeEach
    void chainWithAPendingTransaction() {
        config = NodeConfig.defaults(dir.resolve("data"));
        try (ChainNode chain = ChainNode.open(config, FailStopTest.genesis(), FailStopTest.VALIDATOR)) {
            chain.produceBlock();
            chain.submit(pending.encoded());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCorruptMempoolEntryNamesTheStoreAndTheEntryAndRepairDropsIt() {
        Hash junk = Sha256.digest(utf8("junk"));
        SignedTransaction other = FailStopTest.transfer(1);
        Hash misfiled = Sha256.digest(utf8("misfiled"));
        try (ChainStore store = ChainStore.open(config.dataDir())) {
            store.putMempool(junk.bytes(), utf8("not a transaction"));
            store.putMempool(misfiled.bytes(), other.encoded());
        }

        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class,
                () -> ChainNode.open(config, FailStopTest.VALIDATOR).close());

        assertThat(e).isNotNull();
        assertThat(e.table()).isEqualTo("mempool");
        assertThat(e.repairable()).isTrue();
        assertThat(e.getMessage())
                .startsWith("data directory " + config.dataDir() + ": stored mempool entry " + junk.hex() + " is unreadable: ")
                .endsWith("; run `verity chain repair --data-dir " + config.dataDir() + "` to drop it");

        ChainRepair.Report report = ChainRepair.repair(config.dataDir());
        assertThat(report.clean()).isTrue();
        assertThat(report.walLossAccepted()).isFalse();
        assertThat(report.fixed()).extracting(ChainRepair.Fixed::table, ChainRepair.Fixed::entry)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("mempool", junk.hex()),
                        org.assertj.core.groups.Tuple.tuple("mempool", misfiled.hex()));
        assertThat(report.fixed()).allSatisfy(f -> assertThat(f.why()).startsWith("dropped: "));

        try (ChainNode chain = ChainNode.open(config, FailStopTest.VALIDATOR)) {
            assertThat(chain.receipt(pending.hash()).status()).isEqualTo("PENDING");
            chain.produceBlock();
            assertThat(chain.receipt(pending.hash()).status()).isEqualTo("INCLUDED");
        }
        assertThat(ChainRepair.repair(config.dataDir()).fixed()).isEmpty();
    }

    @Test
    void corruptStateAndBlocksAreNamedAndLeftToARestore() {
        try (ChainStore store = ChainStore.open(config.dataDir())) {
            store.commitBlock(new BlockCommit(2, Sha256.digest(utf8("bad block")).bytes(), utf8("not a block"), List.of(),
                    Map.of(ByteKey.of(new byte[] {0x7f, 1, 2}), utf8("row")), List.of(), null));
        }

        // State rows are read when a block needs them, not at startup: the broken head block is what stops the node.
        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class,
                () -> ChainNode.open(config, FailStopTest.VALIDATOR).close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("data directory " + config.dataDir() + ": block at height 2 is unreadable: ")
                .contains("restore the data directory from a backup");

        ChainRepair.Report report = ChainRepair.repair(config.dataDir());
        assertThat(report.clean()).isFalse();
        assertThat(report.problems()).extracting(ChainRepair.Problem::table, ChainRepair.Problem::entry)
                .contains(org.assertj.core.groups.Tuple.tuple("blocks", "at height 2"),
                        org.assertj.core.groups.Tuple.tuple("state", "7f0102"));
    }
}
