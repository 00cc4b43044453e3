package dev.verity.ledger.rules;

import dev.verity.core.Amounts;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;

/**
 * The rule that keeps cheating in {@code SAMPLED} mode a losing bet. A node that answers without computing
 * saves at most the cost of computing the job, {@code C} (the model's price in {@code NONE} mode). It is
 * audited with probability {@code p}; then it loses at least the slash {@code S} (the dispute slash of the
 * minimum stake) and the node share {@code R} of the fee it forfeits. Cheating loses on average when
 * {@code p x (S + R) > C}; in basis points {@code auditProbabilityBps x (S + R) > 10000 x C}, checked as
 * {@code S + R > floor(10000 x C / auditProbabilityBps)} so that nothing overflows. For a generation model the check
 * takes its units per job; its units per token scale the cost and the forfeited fee alike.
 */
public final class CheatingBet {
    private CheatingBet() {}

    /** Null when cheating on {@code model} loses on average under {@code p}; else why not, with the figures. */
    public static String problem(Params p, ModelRecord model, long basePrice) {
        long cost = Pricing.fee(p, model.computeUnits(), VerificationMode.NONE, basePrice, 0);
        long slash = Amounts.basisPoints(p.minStake(), p.disputeSlashBps());
        long fee = Pricing.fee(p, model.computeUnits(), VerificationMode.SAMPLED, basePrice, 0);
        long forfeited = fee - Amounts.basisPoints(fee, p.validatorShareBps()) - Amounts.basisPoints(fee, p.treasuryShareBps());
        long threshold = Amounts.multiply(cost, 10_000) / p.auditProbabilityBps();
        if (Amounts.add(slash, forfeited) > threshold) {
            return null;
        }
        return "cheating on model " + model.name() + " would pay: audit probability " + p.auditProbabilityBps()
                + " bps x (slash " + slash + " + forfeited fee " + forfeited + ") does not exceed 10000 x the cost of computing it ("
                + cost + " base units); raise the audit probability or the slash";
    }
}
