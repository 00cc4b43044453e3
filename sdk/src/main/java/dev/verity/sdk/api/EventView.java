package dev.verity.sdk.api;

/**
 * A ledger event with where it happened: block height, index in the block, block time. {@code mode} is the
 * verification mode of the job it is about, for submissions, assignments, settlements, payments and penalties
 * (null elsewhere).
 */
public record EventView(long height, int index, long timestampMillis, String type, String job, String node, String account,
                        long amount, String reason, String mode) {}
