package dev.verity.sdk.api;

/** The node's chain head; {@code basePrice} is the fee market's price for the next block, base units per 10^15 compute units. */
public record StatusView(String chainId, long height, String headHash, String stateRoot, long timestampMillis,
                         int mempoolSize, String validator, String genesisHash, long basePrice) {}
