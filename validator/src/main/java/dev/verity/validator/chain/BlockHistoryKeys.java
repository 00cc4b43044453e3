package dev.verity.validator.chain;

import dev.verity.ledger.block.Block;
import dev.verity.validator.storage.HistoryKeys;
import java.util.List;

/** The index keys of the blocks and events a {@link ChainNode} stores, for pruning them. */
enum BlockHistoryKeys implements HistoryKeys {
    INSTANCE;

    @Override
    public BlockKeys blockKeys(byte[] block) {
        Block b = Block.decode(block);
        return new BlockKeys(b.hash().bytes(), b.transactions().stream().map(tx -> tx.hash().bytes()).toList());
    }

    @Override
    public List<byte[]> eventSubjects(byte[] event) {
        return StoredEvents.subjects(event);
    }
}
