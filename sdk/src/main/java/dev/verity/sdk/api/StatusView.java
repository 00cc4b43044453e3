package dev.verity.sdk.api;

/**
 * The node's chain head; {@code basePrice} is the fee market's price for the next block, base units per 10^15 compute
 * units. {@code history} is {@code archive} (the node keeps every block) or {@code pruned} (it keeps its newest
 * {@code retainBlocks} blocks, 0 for an archive); {@code lowestHeight} is the lowest height whose blocks, transactions,
 * events and finished jobs it still serves (0: everything from genesis). {@code finalizedHeight} is the highest block
 * with a finality certificate (validators holding more than two thirds of the stake signed its state root).
 */
public record StatusView(String chainId, long height, String headHash, String stateRoot, long timestampMillis,
                         int mempoolSize, String validator, String genesisHash, long basePrice, String history,
                         long retainBlocks, long lowestHeight, long finalizedHeight) {}
