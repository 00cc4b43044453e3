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

    /** The NONE price of the model, which an auditor earns for re-running a SAMPLED job. */
    public static long auditFee(Params p, ModelRecord model) {
        return jobFee(p, model, VerificationMode.NONE);
    }

    /** The most a job in {@code mode} can charge the client: the fee, plus the auditor's fee for SAMPLED. */
    public static long maxCharge(Params p, ModelRecord model, VerificationMode mode) {
        long fee = jobFee(p, model, mode);
        return mode == VerificationMode.SAMPLED ? Amounts.add(fee, auditFee(p, model)) : fee;
    }
}
