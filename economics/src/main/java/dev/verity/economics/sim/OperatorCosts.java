package dev.verity.economics.sim;

import dev.verity.economics.calculator.CalculatorInputs;
import dev.verity.economics.calculator.GpuSpec;
import dev.verity.economics.calculator.NetworkPrice;
import dev.verity.economics.calculator.OperatorCalculator;

/**
 * What running one GPU costs its operator per day, and what the same GPU would net rented out on a marketplace,
 * in USD: the operator calculator's figures ({@link OperatorCalculator}) from the GPU data file, with the
 * simulation's electricity price and rental utilization. The revenue side is the chain's: what the node earned.
 */
final class OperatorCosts {
    private final CalculatorInputs inputs;
    private final double rentalNetUsdPerDay;

    OperatorCosts(GpuSpec gpu, double usdPerKwh, double rentalUtilization) {
        this.inputs = CalculatorInputs.builder(Gpus.CATALOG, gpu, NetworkPrice.DEFAULT).pricePerKwh(usdPerKwh)
                .rentalUtilization(rentalUtilization).build();
        this.rentalNetUsdPerDay = OperatorCalculator.figures(inputs,
                inputs.rentalUsdPerHour().value() * inputs.hostShare().value(), rentalUtilization).netPerDay();
    }

    /** Electricity per day when the GPU is busy a share {@code utilization} (0..1) of the time, PUE included. */
    double powerUsdPerDay(double utilization) {
        return OperatorCalculator.powerPerDay(inputs, utilization);
    }

    /** The purchase price written off per day. */
    double depreciationUsdPerDay() {
        return OperatorCalculator.depreciationPerDay(inputs);
    }

    /**
     * The rental alternative: the marketplace price x the host's share x 24 h x the rental utilization, minus the
     * power at that utilization and the same depreciation.
     */
    double rentalNetUsdPerDay() {
        return rentalNetUsdPerDay;
    }
}
