package dev.verity.ledger.rules;

import dev.verity.core.Amounts;
import dev.verity.ledger.Params;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.state.ModelRecord;

/**
 * The price of one job: {@code max(minJobFee, ceil(computeUnits * feePerMegaComputeUnit / 10^6))},
 * times the mode's multiplier in basis points (rounded down).
 */
public final class Pricing {
    private Pricing() {}

    public static long jobFee(Params p, ModelRecord model, VerificationMode mode) {
        long product = Amounts.multiply(model.computeUnits(), p.feePerMegaComputeUnit());
        long base = Math.max(p.minJobFee(), product / 1_000_000 + (product % 1_000_000 == 0 ? 0 : 1));
        return Amounts.multiply(base, p.feeMultiplierBps(mode)) / 10_000;
    }
}
