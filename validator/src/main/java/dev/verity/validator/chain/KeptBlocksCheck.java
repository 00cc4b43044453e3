package dev.verity.validator.chain;

import dev.verity.core.Hash;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.StateAudit;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.RocksStateBackend;
import dev.verity.validator.storage.TxLocation;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code verity chain verify} on a pruned store, which cannot replay from genesis: the blocks below its lowest height are
 * gone, and re-executing the kept ones needs the state before them, which is gone too. It checks what is kept instead.
 */
final class KeptBlocksCheck {
    /** What the check covers, for the report. */
    static final String CHECKS = "each kept block decodes, is the block of its height and of this chain, links to the kept "
            + "block before it, carries its producer's valid signature and matches its transactions root; its transactions "
            + "are indexed at their places and its stored events hash to its events root; the stored state's rows hash to "
            + "the head block's state root";

    /** What it cannot cover. */
    static final String CANNOT = "no block is re-executed (that needs the state before the lowest kept height, which was "
            + "pruned), the first kept block's link to its pruned parent and the blocks below it are not checked, and a "
            + "producer is not checked against the validator set of its time; an archive store replays from genesis";

    private KeptBlocksCheck() {}

    static ChainVerifier.Report verify(ChainStore store, Genesis genesis) {
        long from = store.retention().lowestHeight();
        long head = store.headHeight();
        Hash previous = null;
        Block last = null;
        long txs = 0;
        for (long h = from; h <= head; h++) {
            Optional<byte[]> bytes = store.block(h);
            String problem;
            Block block = null;
            if (bytes.isEmpty()) {
                problem = "block " + h + " is missing";
            } else {
                try {
                    block = Block.decode(bytes.get());
                    problem = check(store, genesis, block, h, previous);
                } catch (RuntimeException e) {
                    problem = "block " + h + " does not decode: " + e.getMessage();
                }
            }
            if (problem != null) {
                return report(store, h - from, txs, last, null, problem);
            }
            previous = block.hash();
            txs += block.transactions().size();
            last = block;
        }
        StateAudit.Result audit = StateAudit.recompute(new RocksStateBackend(store));
        String stored = audit.rowsRoot().hex();
        String expected = last == null ? null : last.header().stateRoot().hex();
        String problem = !audit.clean() ? audit.badRows().size() + " stored state rows do not decode, the first "
                + HexFormat.of().formatHex(audit.badRows().get(0).key()) + ": " + audit.badRows().get(0).why()
                : stored.equals(expected) ? null
                : "the stored state (root " + stored + ") is not the head block's (root " + expected + ")";
        return report(store, head - from + 1, txs, last, stored, problem);
    }

    private static ChainVerifier.Report report(ChainStore store, long blocks, long txs, Block last, String stored, String problem) {
        return new ChainVerifier.Report(blocks, txs, last == null ? null : last.header().stateRoot().hex(), stored, problem,
                store.retention(), false);
    }

    /** What is wrong with the kept block at {@code height}, or null. */
    private static String check(ChainStore store, Genesis genesis, Block block, long height, Hash previous) {
        BlockHeader h = block.header();
        if (h.height() != height) return "block " + height + " holds block " + h.height();
        if (!h.chainId().equals(genesis.chainId())) return "block " + height + " is for chain " + h.chainId();
        if (previous != null && !h.previousHash().equals(previous)) return "block " + height + " does not follow block " + (height - 1);
        if (!h.producer().verify(h.signingBytes(), block.signature())) return "block " + height + " has an invalid producer signature";
        if (!Block.transactionsRoot(block.transactions()).equals(h.transactionsRoot())) {
            return "block " + height + " transactions do not match its transactions root";
        }
        List<SignedTransaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            Optional<TxLocation> at = store.transaction(txs.get(i).hash().bytes());
            if (at.isEmpty() || at.get().height() != height || at.get().index() != i) {
                return "transaction " + txs.get(i).hash().hex() + " of block " + height + " is indexed at "
                        + at.map(TxLocation::toString).orElse("no place");
            }
        }
        List<LedgerEvent> events = store.events(height).stream().map(StoredEvents::event).toList();
        if (!Block.eventsRoot(events).equals(h.eventsRoot())) {
            return "the stored events of block " + height + " do not hash to its events root";
        }
        return null;
    }
}
