package dev.verity.economics.calculator;

/**
 * One way of using the GPUs (Verity work, or renting them out on a marketplace), per day for all of them, in USD.
 *
 * @param usdPerBusyHour       what one GPU earns per busy hour
 * @param utilization          the share of the time it is busy
 * @param revenuePerDay        usdPerBusyHour × 24 × utilization × count
 * @param powerPerDay          electricity, busy and idle, with the PUE
 * @param depreciationPerDay   count × purchase / (years × 365)
 * @param marginPerDay         revenue − power: what pays the hardware back
 * @param netPerDay            margin − depreciation
 * @param netPerMonth          net over 30 days
 * @param breakEvenUtilization the utilization at which net is 0; null when none up to 1 does it
 * @param paybackDays          count × purchase / margin; null when the margin is not positive
 */
public record Figures(
        double usdPerBusyHour,
        double utilization,
        double revenuePerDay,
        double powerPerDay,
        double depreciationPerDay,
        double marginPerDay,
        double netPerDay,
        double netPerMonth,
        Double breakEvenUtilization,
        Double paybackDays) {

    /** The payback in years of 365 days; null when there is none. */
    public Double paybackYears() {
        return paybackDays == null ? null : paybackDays / 365.0;
    }
}
