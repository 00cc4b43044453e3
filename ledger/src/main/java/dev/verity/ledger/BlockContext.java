package dev.verity.ledger;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * What the state transition learns from the block it executes: the only source of time,
 * randomness (the previous block's hash) and the producer who earns the validator share.
 */
public record BlockContext(long height, Hash previousHash, long timestampMillis, PublicKey producer) {}
