package dev.verity.validator.chain;

import dev.verity.ledger.RejectCode;
import dev.verity.ledger.block.Block;
import dev.verity.sdk.api.EventView;
import java.util.List;

/** Called after a block is durably committed, on the block producer's thread; must not block. */
public interface BlockListener {
    void onBlock(Block block, List<EventView> events);

    /** After {@link #onBlock}, once for each transaction the block's execution refused, with its reject code. */
    default void onRefused(Block block, RejectCode code) {}
}
