package dev.verity.economics.earnings;

import dev.verity.ledger.VerificationMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node earned and lost over a period, all amounts in base units.
 *
 * @param jobs jobs the node settled and was paid for ({@code JOB_SETTLED} naming it as the payee)
 * @param jobsByMode the same per verification mode
 * @param fees the node's share of those jobs' fees ({@code NODE_PAID})
 * @param feesByMode the same per verification mode
 * @param auditFees fees for re-running SAMPLED jobs as their auditor ({@code AUDITOR_PAID})
 * @param disputeRewards shares of the loser's slash for disputes it won ({@code DISPUTE_REWARD})
 * @param penalties missed deadlines, slashes and challenger bonds lost ({@code NODE_PENALIZED},
 *     {@code NODE_SLASHED}, {@code BOND_SLASHED})
 */
public record Figures(long jobs, ByMode jobsByMode, long fees, ByMode feesByMode, long auditFees, long disputeRewards,
                      long penalties) {
    public static final Figures ZERO = new Figures(0, ByMode.ZERO, 0, ByMode.ZERO, 0, 0, 0);

    /** fees + audit fees + dispute rewards - penalties. */
    public long net() {
        return Math.subtractExact(Math.addExact(Math.addExact(fees, auditFees), disputeRewards), penalties);
    }

    /** What was earned before penalties: fees + audit fees + dispute rewards. */
    public long gross() {
        return Math.addExact(Math.addExact(fees, auditFees), disputeRewards);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    public Figures plus(Figures o) {
        return new Figures(Math.addExact(jobs, o.jobs), jobsByMode.plus(o.jobsByMode), Math.addExact(fees, o.fees),
                feesByMode.plus(o.feesByMode), Math.addExact(auditFees, o.auditFees),
                Math.addExact(disputeRewards, o.disputeRewards), Math.addExact(penalties, o.penalties));
    }

    /** One more settled job; {@code mode} null when the event named none (it counts in the total only). */
    Figures withJob(VerificationMode mode) {
        return new Figures(Math.addExact(jobs, 1), mode == null ? jobsByMode : jobsByMode.plus(mode, 1), fees, feesByMode,
                auditFees, disputeRewards, penalties);
    }

    Figures withFee(VerificationMode mode, long amount) {
        return new Figures(jobs, jobsByMode, Math.addExact(fees, amount), mode == null ? feesByMode : feesByMode.plus(mode, amount),
                auditFees, disputeRewards, penalties);
    }

    Figures withAuditFee(long amount) {
        return new Figures(jobs, jobsByMode, fees, feesByMode, Math.addExact(auditFees, amount), disputeRewards, penalties);
    }

    Figures withDisputeReward(long amount) {
        return new Figures(jobs, jobsByMode, fees, feesByMode, auditFees, Math.addExact(disputeRewards, amount), penalties);
    }

    Figures withPenalty(long amount) {
        return new Figures(jobs, jobsByMode, fees, feesByMode, auditFees, disputeRewards, Math.addExact(penalties, amount));
    }

    /** As JSON: {@code jobs} and {@code fees} as {total, NONE, TEE, OPTIMISTIC, SAMPLED, ZK}, then the rest and {@code net}. */
    public Map<String, Object> document() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> j = new LinkedHashMap<>();
        j.put("total", jobs);
        j.putAll(jobsByMode.asMap());
        m.put("jobs", j);
        Map<String, Long> f = new LinkedHashMap<>();
        f.put("total", fees);
        f.putAll(feesByMode.asMap());
        m.put("fees", f);
        m.put("auditFees", auditFees);
        m.put("disputeRewards", disputeRewards);
        m.put("penalties", penalties);
        m.put("net", net());
        return m;
    }
}
