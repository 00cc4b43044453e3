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
import dev.verity.validator.storage.Retention;
import dev.verity.validator.storage.RocksStateBackend;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Re-executes every stored block from genesis and checks each block's signature, links and state
 * root, then checks that the stored state equals the replayed one. A store that pruned its history cannot be
 * replayed: its kept blocks and its state are checked as far as they can be without it ({@link KeptBlocksCheck}).
 */
public final class ChainVerifier {
    /**
     * What a verification found. {@code problem} is null when everything checks out.
     *
     * @param blocks     blocks checked: from height 1 when {@code replayed}, else from {@code history.lowestHeight()}
     * @param stateRoot  the replay's state root, or (not replayed) the head block's
     * @param history    what the store keeps
     * @param replayed   true when every block was re-executed from genesis; false for a pruned store (see
     *                   {@link #checks()} and {@link #cannotCheck()})
     */
    public record Report(long blocks, long transactions, String stateRoot, String storedStateRoot, String problem,
                         Retention history, boolean replayed) {
        public boolean ok() {
            return problem == null;
        }

        /** What this verification checked. */
        public String checks() {
            return replayed ? "every block re-executes from genesis to its state root, with valid signatures and links, and "
                    + "the stored state's rows hash to the replay's root" : KeptBlocksCheck.CHECKS;
        }

        /** What it could not check, or null when it replayed the whole chain. */
        public String cannotCheck() {
            return replayed ? null : KeptBlocksCheck.CANNOT;
        }
    }

    private ChainVerifier() {}

    public static Report verify(Path dataDir) {
        try (ChainStore store = ChainStore.open(dataDir); SignaturePrecheck signatures = SignaturePrecheck.perProcessor()) {
            byte[] g = store.meta(ChainStore.META_GENESIS).orElseThrow(() ->
                    new IllegalStateException("data directory " + dataDir + " holds no chain"));
            Genesis genesis = Genesis.decode(g);
            if (store.retention().hasPruned()) {
                return KeptBlocksCheck.verify(store, genesis);
            }
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
                    return replayed(store, h - 1, txs, ledger.state().root().hex(), null, "block " + height + " is missing");
                }
                Block block = Block.decode(bytes);
                signatures.check(block.transactions());
                try {
                    BlockExecution.execute(ledger, block, previous);
                } catch (BlockExecution.InvalidBlockException e) {
                    return replayed(store, h - 1, txs, ledger.state().root().hex(), null, e.getMessage());
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
            return replayed(store, head, txs, replayRoot, storedRoot, problem);
        }
    }

    private static Report replayed(ChainStore store, long blocks, long txs, String root, String storedRoot, String problem) {
        return new Report(blocks, txs, root, storedRoot, problem, store.retention(), true);
    }
}
