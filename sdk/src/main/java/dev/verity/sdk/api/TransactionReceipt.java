package dev.verity.sdk.api;

/**
 * The state of a submitted transaction: PENDING (acknowledged, durable, waiting for a block),
 * INCLUDED (in block {@code height}), or REFUSED (dropped when its block was built, or when the node reloaded its
 * stored mempool, at {@code height}; {@code error} says why as {@code "CODE: message"}).
 */
public record TransactionReceipt(String hash, String status, long height, String error) {}
