package dev.verity.validator.chain;

import dev.verity.validator.storage.Retention;
import java.nio.file.Path;

/**
 * How a validator node runs: where its data lives, how often it produces a block, how many transactions it keeps
 * waiting and puts in one block, and how much history it keeps: {@link Retention#ARCHIVE} (every block) or the newest
 * {@code retainBlocks} blocks (a pruned node).
 */
public record NodeConfig(Path dataDir, long blockIntervalMillis, int mempoolCapacity, int maxTransactionsPerBlock,
                         long retainBlocks) {
    public NodeConfig {
        if (retainBlocks < 0) {
            throw new IllegalArgumentException("retainBlocks must be " + Retention.ARCHIVE + " (archive) or a number of blocks, was "
                    + retainBlocks);
        }
    }

    /** An archive node. */
    public NodeConfig(Path dataDir, long blockIntervalMillis, int mempoolCapacity, int maxTransactionsPerBlock) {
        this(dataDir, blockIntervalMillis, mempoolCapacity, maxTransactionsPerBlock, Retention.ARCHIVE);
    }

    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, 500, 50_000, 5_000);
    }

    /** Decoded state rows kept in memory; the rest are read from the store when a block needs them. */
    public int stateCacheRows() {
        return dev.verity.ledger.state.LedgerState.DEFAULT_CACHE_ROWS;
    }

    public NodeConfig withBlockInterval(long millis) {
        return new NodeConfig(dataDir, millis, mempoolCapacity, maxTransactionsPerBlock, retainBlocks);
    }

    /** The same node keeping the newest {@code blocks} blocks, or everything with {@link Retention#ARCHIVE}. */
    public NodeConfig withRetainBlocks(long blocks) {
        return new NodeConfig(dataDir, blockIntervalMillis, mempoolCapacity, maxTransactionsPerBlock, blocks);
    }
}
