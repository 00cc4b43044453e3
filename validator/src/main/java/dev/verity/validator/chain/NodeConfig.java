package dev.verity.validator.chain;

import java.nio.file.Path;

/**
 * How a validator node runs: where its data lives, how often it produces a block, and how many
 * transactions it keeps waiting and puts in one block.
 */
public record NodeConfig(Path dataDir, long blockIntervalMillis, int mempoolCapacity, int maxTransactionsPerBlock) {
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, 500, 50_000, 5_000);
    }

    /** Decoded state rows kept in memory; the rest are read from the store when a block needs them. */
    public int stateCacheRows() {
        return dev.verity.ledger.state.LedgerState.DEFAULT_CACHE_ROWS;
    }

    public NodeConfig withBlockInterval(long millis) {
        return new NodeConfig(dataDir, millis, mempoolCapacity, maxTransactionsPerBlock);
    }
}
