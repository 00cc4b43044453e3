package dev.verity.bench;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import dev.verity.core.Sha256;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.state.Codecs;
import dev.verity.ledger.state.RetiredJob;
import dev.verity.validator.storage.ArchiveWrite;
import dev.verity.validator.storage.BlockCommit;
import dev.verity.validator.storage.ChainStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Commits blocks to a {@link ChainStore} as a validator does: the block, its state changes and its retired jobs. */
final class StoreCommitter {
    private final ChainStore store;
    private long height;

    StoreCommitter(ChainStore store) {
        this.store = store;
        this.height = store.headHeight();
    }

    /** Commits the ledger's changes since the last commit, with {@code p}'s block (null for a setup block). */
    void commit(Ledger ledger, BlockExecution.Produced p) {
        TreeMap<ByteKey, byte[]> writes = new TreeMap<>();
        ledger.state().drainChanges((k, v) -> writes.put(new ByteKey(k), v));
        List<ArchiveWrite> archive = new ArrayList<>();
        for (RetiredJob r : ledger.state().drainRetired()) {
            archive.add(new ArchiveWrite(r.job().id().bytes(), r.job().submittedAt(), Codecs.RETIRED_JOB.encode(r)));
        }
        height++;
        byte[] hash = p == null ? Sha256.digest(Bytes.utf8("setup block " + height)).bytes() : p.block().hash().bytes();
        byte[] block = p == null ? new byte[0] : p.block().encode();
        store.commitBlock(new BlockCommit(height, hash, block, List.of(), writes, List.of(), null, List.of(), archive));
    }

    /**
     * Fills the store with {@code jobs} finished jobs of history, {@code perBlock} to a block: archived rows of
     * {@code rowBytes} each under their own blocks, as a validator's store holds them after settling that many jobs.
     * The state transition never reads them; they make the store as large as history makes it.
     */
    void fillHistory(long jobs, int perBlock, int rowBytes) {
        for (long done = 0; done < jobs; ) {
            int n = (int) Math.min(perBlock, jobs - done);
            List<ArchiveWrite> archive = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] id = Sha256.digest(Bytes.utf8("history job " + (done + i))).bytes();
                byte[] row = new byte[rowBytes];
                for (int at = 0; at < rowBytes; at += id.length) {
                    System.arraycopy(id, 0, row, at, Math.min(id.length, rowBytes - at));
                    id = Sha256.digest(id).bytes();
                }
                archive.add(new ArchiveWrite(Arrays.copyOf(id, id.length), height + 1, row));
            }
            height++;
            store.commitBlock(new BlockCommit(height, Sha256.digest(Bytes.utf8("history block " + height)).bytes(),
                    new byte[0], List.of(), new TreeMap<>(), List.of(), null, List.of(), archive));
            done += n;
        }
    }
}
