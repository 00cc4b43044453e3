package dev.verity.validator.chain;

import dev.verity.core.Hash;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MemoryBackend;
import dev.verity.ledger.state.StateAudit;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.RocksStateBackend;
import java.nio.file.Path;
import java.util.HexFormat;

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
            MemoryBackend replayed = new MemoryBackend();
            Ledger ledger = Ledger.fromGenesis(genesis, EvidenceVerifiers.standard(),
                    new LedgerState(replayed, LedgerState.DEFAULT_CACHE_ROWS));
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
                // Each block's rows move to the replay's backend: memory follows live state, not history.
                ledger.state().drainRetired();
                ledger.state().drainChanges(replayed::apply);
                txs += block.transactions().size();
                previous = block.hash();
            }
            StateAudit.Result audit = StateAudit.recompute(new RocksStateBackend(store));
            String replayRoot = ledger.state().root().hex();
            String storedRoot = audit.rowsRoot().hex();
            String problem = !audit.clean() ? audit.badRows().size() + " stored state rows do not decode, the first "
                    + HexFormat.of().formatHex(audit.badRows().get(0).key()) + ": " + audit.badRows().get(0).why()
                    : replayRoot.equals(storedRoot) ? null
                    : "the stored state (root " + storedRoot + ") differs from the replay (root " + replayRoot + ")";
            return new Report(head, txs, replayRoot, storedRoot, problem);
        }
    }
}
