package dev.verity.economics.sim;

/**
 * GPU cost figures for the simulator until the operator calculator's GPU data file is available to it: the same
 * figures as that file (board and idle watts with the host's share, PUE, purchase price, five-year write-off,
 * Vast.ai median rental price, a 90% host share) for the four GPUs of the default fleet, with the electricity
 * price and the rental utilization given.
 */
record InterimGpuCosts(double boardWatts, double idleWatts, double pue, double purchaseUsd, double years,
                       double rentalUsdPerHour, double hostShare, double usdPerKwh, double rentalUtilization)
        implements OperatorCosts {
    private static final double HOURS_PER_DAY = 24;
    private static final double DAYS_PER_YEAR = 365;

    static InterimGpuCosts of(GpuKind gpu, double usdPerKwh, double rentalUtilization) {
        return switch (gpu) {
            case H100 -> new InterimGpuCosts(700, 230, 1.3, 25_000, 5, 2.14, 0.90, usdPerKwh, rentalUtilization);
            case H200 -> new InterimGpuCosts(700, 230, 1.3, 28_000, 5, 2.65, 0.90, usdPerKwh, rentalUtilization);
            case A100 -> new InterimGpuCosts(400, 140, 1.3, 8_000, 5, 0.87, 0.90, usdPerKwh, rentalUtilization);
            case L40S -> new InterimGpuCosts(350, 120, 1.3, 7_000, 5, 0.60, 0.90, usdPerKwh, rentalUtilization);
            case RTX_4090 -> new InterimGpuCosts(450, 144, 1.1, 1_700, 5, 0.40, 0.90, usdPerKwh, rentalUtilization);
            case RTX_3090 -> new InterimGpuCosts(350, 120, 1.1, 650, 5, 0.20, 0.90, usdPerKwh, rentalUtilization);
        };
    }

    @Override
    public double powerUsdPerDay(double utilization) {
        double watts = boardWatts * utilization + idleWatts * (1 - utilization);
        return pue * HOURS_PER_DAY * watts / 1000 * usdPerKwh;
    }

    @Override
    public double depreciationUsdPerDay() {
        return purchaseUsd / (years * DAYS_PER_YEAR);
    }

    @Override
    public double rentalNetUsdPerDay() {
        return rentalUsdPerHour * hostShare * HOURS_PER_DAY * rentalUtilization - powerUsdPerDay(rentalUtilization)
                - depreciationUsdPerDay();
    }
}
