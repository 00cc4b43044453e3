package dev.verity.ledger.state;

/** Stake on its way out: it can be withdrawn from {@code releaseHeight} on. */
public record Unbonding(long amount, long releaseHeight) {}
