package dev.verity.economics.calculator;

import dev.verity.protocol.Params;
import java.util.Locale;
import java.util.Objects;

/**
 * What the network pays a node for compute: the base price in base units per 10^15 compute units (1 VRT =
 * 1,000,000 base units) and the node's share of it in basis points, with where the two came from. The calculator
 * takes it as an input so that it can come from a live chain ({@link #fromChain}); {@link #DEFAULT} holds the
 * chain's fee-market defaults, for when no chain is asked.
 *
 * @param basePricePerPetaComputeUnit base units paid per 10^15 compute units (multiply-accumulates)
 * @param nodeShareBps                the share of the fee the node keeps, in basis points (10,000 = all)
 * @param source                      where the price came from, as the calculator reports it
 */
public record NetworkPrice(long basePricePerPetaComputeUnit, long nodeShareBps, String source) {
    /** The source of {@link #DEFAULT}. */
    public static final String DEFAULT_SOURCE = "default: the chain's fee-market defaults at genesis, not a live chain's price";

    /** The chain's fee-market defaults: the genesis base price and the node share of {@link Params#defaults()}. */
    public static final NetworkPrice DEFAULT = new NetworkPrice(Params.defaults().initialBasePrice(),
            Params.defaults().nodeShareBps(), DEFAULT_SOURCE);

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
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a network price needs a source");
        }
    }

    /** A price given by the caller (source "given"). */
    public NetworkPrice(long basePricePerPetaComputeUnit, long nodeShareBps) {
        this(basePricePerPetaComputeUnit, nodeShareBps, "given");
    }

    /**
     * The price a live chain pays now: its current base price (at block {@code height}) and its node share, read
     * from its API at {@code api}. The source says so: "chain at http://…: base price 70 at height 1234, node
     * share 80%".
     */
    public static NetworkPrice fromChain(String api, long height, long basePrice, long nodeShareBps) {
        Objects.requireNonNull(api, "api");
        return new NetworkPrice(basePrice, nodeShareBps, String.format(Locale.ROOT,
                "chain at %s: base price %d at height %d, node share %s%%", api, basePrice, height,
                java.math.BigDecimal.valueOf(nodeShareBps / 100.0).stripTrailingZeros().toPlainString()));
    }

    /** Whether this is the chain's fee-market defaults rather than a live chain's or a given price. */
    public boolean isDefault() {
        return equals(DEFAULT);
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
