package dev.verity.economics.calculator;

/**
 * The operator calculator: what a GPU earns serving Verity jobs against what it earns rented out on a
 * marketplace, after electricity and depreciation. Pure arithmetic on {@link CalculatorInputs}; all figures are
 * per day for all the GPUs, in USD.
 *
 * <pre>
 * revenue      = usdPerBusyHour × 24 × u × N
 * power        = N × pue × 24 × (boardWatts × u + idleWatts × (1 − u)) / 1000 × pricePerKwh
 * depreciation = N × purchase / (years × 365)
 * margin       = revenue − power          (what pays the hardware back)
 * net          = margin − depreciation
 * payback days = N × purchase / margin    (none when margin ≤ 0)
 * break-even u : net(u) = 0, solved; none when above 1 or when a busy hour does not earn its extra power
 * </pre>
 *
 * For Verity {@code usdPerBusyHour} is the Verity revenue per busy GPU-hour and u the utilization; for renting it
 * out it is rentalUsdPerHour × hostShare and u the rental utilization.
 */
public final class OperatorCalculator {
    private static final double HOURS_PER_DAY = 24;
    private static final double DAYS_PER_YEAR = 365;
    private static final double DAYS_PER_MONTH = 30;

    private OperatorCalculator() {}

    /** Both alternatives and which pays more. */
    public static CalculatorResult calculate(CalculatorInputs in) {
        Figures verity = figures(in, in.verityUsdPerBusyHour().value(), in.utilization().value());
        Figures rental = figures(in, in.rentalUsdPerHour().value() * in.hostShare().value(),
                in.rentalUtilization().value());
        double diff = verity.netPerDay() - rental.netPerDay();
        CalculatorResult.Choice more = diff > 0 ? CalculatorResult.Choice.VERITY
                : diff < 0 ? CalculatorResult.Choice.RENTAL : CalculatorResult.Choice.EQUAL;
        return new CalculatorResult(in, verity, rental, more, Math.abs(diff), Math.abs(diff) * DAYS_PER_MONTH);
    }

    /** The figures for GPUs earning {@code usdPerBusyHour} each while busy, busy a share {@code u} of the time. */
    public static Figures figures(CalculatorInputs in, double usdPerBusyHour, double u) {
        int n = in.count().value();
        double revenue = usdPerBusyHour * HOURS_PER_DAY * u * n;
        double power = powerPerDay(in, u);
        double depreciation = depreciationPerDay(in);
        double margin = revenue - power;
        double net = margin - depreciation;
        Double payback = margin > 0 ? n * in.purchaseUsd().value() / margin : null;
        return new Figures(usdPerBusyHour, u, revenue, power, depreciation, margin, net, net * DAYS_PER_MONTH,
                breakEvenUtilization(in, usdPerBusyHour), payback);
    }

    /** Electricity per day for all the GPUs at utilization {@code u}, USD. */
    public static double powerPerDay(CalculatorInputs in, double u) {
        double watts = in.boardWatts().value() * u + in.idleWatts().value() * (1 - u);
        return in.count().value() * in.pue().value() * HOURS_PER_DAY * watts / 1000 * in.pricePerKwh().value();
    }

    /** Depreciation per day for all the GPUs, USD. */
    public static double depreciationPerDay(CalculatorInputs in) {
        return in.count().value() * in.purchaseUsd().value() / (in.years().value() * DAYS_PER_YEAR);
    }

    /**
     * The utilization at which net is 0, for GPUs earning {@code usdPerBusyHour} while busy. Net is linear in u:
     * net(u) = slope × u − fixed, where slope is what a busy hour earns over the extra power it draws (× 24 × N)
     * and fixed is idle power plus depreciation. Null when the slope is not positive (a busy hour does not cover
     * its extra power) or the answer is above 1.
     */
    public static Double breakEvenUtilization(CalculatorInputs in, double usdPerBusyHour) {
        int n = in.count().value();
        double kwhCost = in.pue().value() / 1000 * in.pricePerKwh().value();
        double slope = n * HOURS_PER_DAY
                * (usdPerBusyHour - (in.boardWatts().value() - in.idleWatts().value()) * kwhCost);
        double fixed = n * HOURS_PER_DAY * in.idleWatts().value() * kwhCost + depreciationPerDay(in);
        if (slope <= 0) {
            return null;
        }
        double u = fixed / slope;
        return u <= 1 ? u : null;
    }
}
