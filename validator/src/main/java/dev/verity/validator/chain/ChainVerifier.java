package dev.verity.validator.chain;

import dev.verity.core.Hash;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.state.LedgerState;
import dev.verity.validator.storage.ChainStore;
import java.nio.file.Path;

/**
 * Re-executes every stored block from genesis and checks each block's signature, links and state
 * root, then checks that the stored state equals the replayed one.
 */
public final class ChainVerifier {
    /** What a verification found. {@code problem} is null when everything checks out. */
    public record Report(long blocks, long transactions, String stateRoot, String storedStateRoot, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private ChainVerifier() {}

    public static Report verify(Path dataDir) {
        try (ChainStore store = ChainStore.open(dataDir)) {
            byte[] g = store.meta(ChainStore.META_GENESIS).orElseThrow(() ->
                    new IllegalStateException("data directory " + dataDir + " holds no chain"));
            Genesis genesis = Genesis.decode(g);
            Ledger ledger = Ledger.fromGenesis(genesis);
            Hash previous = genesis.hash();
            long head = store.headHeight();
            long txs = 0;
            for (long h = 1; h <= head; h++) {
                long height = h;
                byte[] bytes = store.block(h).orElse(null);
                if (bytes == null) {
                    return new Report(h - 1, txs, ledger.state().root().hex(), null, "block " + height + " is missing");
                }
                Block block = Block.decode(bytes);
                try {
                    BlockExecution.execute(ledger, block, previous);
                } catch (BlockExecution.InvalidBlockException e) {
                    return new Report(h - 1, txs, ledger.state().root().hex(), null, e.getMessage());
                }
                txs += block.transactions().size();
                previous = block.hash();
            }
            LedgerState stored = new LedgerState();
            store.forEachState(stored::load);
            String replayed = ledger.state().root().hex();
            String storedRoot = stored.root().hex();
            String problem = replayed.equals(storedRoot) ? null
                    : "the stored state (root " + storedRoot + ") differs from the replay (root " + replayed + ")";
            return new Report(head, txs, replayed, storedRoot, problem);
        }
    }
}
