package dev.verity.economics.calculator;

import dev.verity.ledger.Params;

/**
 * What the network pays a node for compute: the base price in base units per 10^15 compute units (1 VRT =
 * 1,000,000 base units) and the node's share of it in basis points. The calculator takes it as an input so that
 * it can come from the chain; {@link #DEFAULT} holds the chain's fee-market defaults.
 *
 * @param basePricePerPetaComputeUnit base units paid per 10^15 compute units (multiply-accumulates)
 * @param nodeShareBps                the share of the fee the node keeps, in basis points (10,000 = all)
 */
public record NetworkPrice(long basePricePerPetaComputeUnit, long nodeShareBps) {
    /** The chain's fee-market defaults: the genesis base price and the node share of {@link Params#defaults()}. */
    public static final NetworkPrice DEFAULT = of(Params.defaults(), Params.defaults().initialBasePrice());

    /** What a chain with {@code params} pays at {@code basePrice} (its current base price, from its API). */
    public static NetworkPrice of(Params params, long basePrice) {
        return new NetworkPrice(basePrice, params.nodeShareBps());
    }

    /** Base units in one VRT. */
    public static final double BASE_UNITS_PER_TOKEN = 1_000_000.0;

    public NetworkPrice {
        if (basePricePerPetaComputeUnit < 0) {
            throw new IllegalArgumentException("the base price per 10^15 compute units must not be negative, got "
                    + basePricePerPetaComputeUnit);
        }
        if (nodeShareBps < 0 || nodeShareBps > 10_000) {
            throw new IllegalArgumentException("the node share must be 0 to 10,000 basis points, got " + nodeShareBps);
        }
    }

    /** VRT a node earns for an hour of work at {@code computeUnitsPerSecond}. */
    public double tokensPerBusyHour(double computeUnitsPerSecond) {
        return computeUnitsPerSecond * 3600 / 1e15 * basePricePerPetaComputeUnit * nodeShareBps / 10_000.0
                / BASE_UNITS_PER_TOKEN;
    }

    /** USD a node earns for an hour of work at {@code computeUnitsPerSecond}, at {@code tokenPriceUsd} per VRT. */
    public double usdPerBusyHour(double computeUnitsPerSecond, double tokenPriceUsd) {
        return tokensPerBusyHour(computeUnitsPerSecond) * tokenPriceUsd;
    }
}
