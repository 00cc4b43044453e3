package dev.verity.economics.sim;

/**
 * What running one GPU costs its operator, and what the same GPU would net rented out on a marketplace instead.
 * All figures in USD per day.
 */
public interface OperatorCosts {
    /** Electricity per day when the GPU is busy a share {@code utilization} (0..1) of the time, PUE included. */
    double powerUsdPerDay(double utilization);

    /** The purchase price written off per day. */
    double depreciationUsdPerDay();

    /**
     * The rental alternative: the marketplace price x the host's share x 24 h x the rental utilization, minus the
     * power at that utilization and the same depreciation.
     */
    double rentalNetUsdPerDay();
}
