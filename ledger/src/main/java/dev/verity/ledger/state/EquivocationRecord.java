package dev.verity.ledger.state;

import dev.verity.core.PublicKey;

/** A slashed equivocation: how much the validator lost, who reported it, and in which block. */
public record EquivocationRecord(long slashed, PublicKey reporter, long reportedAt) {}
