package dev.verity.economics.earnings;

import dev.verity.protocol.VerificationMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node earned and lost over a period, all amounts in base units.
 *
 * <p>The chain's own counter of a node's work, {@code jobsCompleted} in {@code verity node show}, goes up both
 * when the node is paid for a job it settled and when it is paid for an audit; here the two are apart:
 * {@code jobsCompleted = jobsSettled + audits} over a node's whole history.
 *
 * @param jobsSettled jobs the node settled and was paid for ({@code JOB_SETTLED} naming it as the payee), and jobs whose
 *     input it refused and was paid for all the same ({@code JOB_FAILED} with the fee as its amount)
 * @param jobsByMode the same per verification mode
 * @param audits audits the node passed and was paid for as auditor of another node's SAMPLED result
 *     ({@code AUDITOR_PAID} naming it); not jobs settled
 * @param fees the node's share of the fees of the jobs it settled ({@code NODE_PAID})
 * @param feesByMode the same per verification mode
 * @param auditFees fees for re-running SAMPLED jobs as their auditor ({@code AUDITOR_PAID})
 * @param disputeRewards shares of the loser's slash for disputes it won ({@code DISPUTE_REWARD})
 * @param penalties missed deadlines, slashes and challenger bonds lost ({@code NODE_PENALIZED},
 *     {@code NODE_SLASHED}, {@code BOND_SLASHED})
 */
public record Figures(long jobsSettled, ByMode jobsByMode, long audits, long fees, ByMode feesByMode, long auditFees,
                      long disputeRewards, long penalties) {
    public static final Figures ZERO = new Figures(0, ByMode.ZERO, 0, 0, ByMode.ZERO, 0, 0, 0);

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
        return new Figures(Math.addExact(jobsSettled, o.jobsSettled), jobsByMode.plus(o.jobsByMode),
                Math.addExact(audits, o.audits), Math.addExact(fees, o.fees), feesByMode.plus(o.feesByMode),
                Math.addExact(auditFees, o.auditFees), Math.addExact(disputeRewards, o.disputeRewards),
                Math.addExact(penalties, o.penalties));
    }

    /** One more settled job; {@code mode} null when the event named none (it counts in the total only). */
    Figures withJob(VerificationMode mode) {
        return new Figures(Math.addExact(jobsSettled, 1), mode == null ? jobsByMode : jobsByMode.plus(mode, 1), audits,
                fees, feesByMode, auditFees, disputeRewards, penalties);
    }

    Figures withFee(VerificationMode mode, long amount) {
        return new Figures(jobsSettled, jobsByMode, audits, Math.addExact(fees, amount),
                mode == null ? feesByMode : feesByMode.plus(mode, amount), auditFees, disputeRewards, penalties);
    }

    /** One more audit passed and paid, and its fee. */
    Figures withAudit(long fee) {
        return new Figures(jobsSettled, jobsByMode, Math.addExact(audits, 1), fees, feesByMode,
                Math.addExact(auditFees, fee), disputeRewards, penalties);
    }

    Figures withDisputeReward(long amount) {
        return new Figures(jobsSettled, jobsByMode, audits, fees, feesByMode, auditFees,
                Math.addExact(disputeRewards, amount), penalties);
    }

    Figures withPenalty(long amount) {
        return new Figures(jobsSettled, jobsByMode, audits, fees, feesByMode, auditFees, disputeRewards,
                Math.addExact(penalties, amount));
    }

    /**
     * The counts as JSON, the same in {@code verity node earnings} and {@code verity node show}:
     * {@code jobsSettled} as {total, NONE, TEE, OPTIMISTIC, SAMPLED, ZK} and {@code audits}.
     */
    public Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> j = new LinkedHashMap<>();
        j.put("total", jobsSettled);
        j.putAll(jobsByMode.asMap());
        m.put("jobsSettled", j);
        m.put("audits", audits);
        return m;
    }

    /**
     * As JSON: the {@link #counts()} ({@code jobsSettled} per mode, {@code audits}), {@code fees} as {total, NONE,
     * TEE, OPTIMISTIC, SAMPLED, ZK}, then the rest and {@code net}.
     */
    public Map<String, Object> document() {
        Map<String, Object> m = counts();
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
