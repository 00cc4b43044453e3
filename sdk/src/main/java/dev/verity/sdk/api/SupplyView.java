package dev.verity.sdk.api;

/**
 * Where every base unit is at a height: balances, stakes, unbonding stake, the treasury, escrow of open jobs and
 * challenger bonds; {@code total} never changes, since no rule creates or destroys tokens.
 */
public record SupplyView(long height, long balances, long stakes, long unbonding, long treasury, long escrow, long bonds,
                         long validatorStakes, long validatorUnbonding, long total) {}
