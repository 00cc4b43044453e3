package dev.verity.sdk.api;

public record StatusView(String chainId, long height, String headHash, String stateRoot, long timestampMillis,
                         int mempoolSize, String validator, String genesisHash) {}
