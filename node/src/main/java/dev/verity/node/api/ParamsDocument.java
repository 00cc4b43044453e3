package dev.verity.node.api;

import dev.verity.ledger.Params;
import dev.verity.sdk.Amounts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /v1/params}: every field of {@link Params} under its own name, the
 * treasury balance, and the economic and penalty rules in words so an operator can read what
 * staking risks before staking.
 */
final class ParamsDocument {
    private ParamsDocument() {}

    static Map<String, Object> build(String chainId, Params p, long treasuryBalance) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("chainId", chainId);
        for (RecordComponent c : Params.class.getRecordComponents()) {
            try {
                out.put(c.getName(), c.getAccessor().invoke(p));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read parameter " + c.getName(), e);
            }
        }
        out.put("baseUnitsPerToken", Params.BASE_UNITS_PER_TOKEN);
        out.put("treasuryBalance", treasuryBalance);
        out.put("rules", rules(p));
        return out;
    }

    static List<String> rules(Params p) {
        List<String> r = new ArrayList<>();
        r.add("a node must stake at least minStake = " + Amounts.formatTokens(p.minStake()) + " to register and to be assigned jobs");
        r.add("unbonded stake can be withdrawn unbondingBlocks = " + p.unbondingBlocks() + " blocks after the unbond transaction");
        r.add("a job costs max(minJobFee = " + p.minJobFee() + ", ceil(computeUnits x feePerMegaComputeUnit = "
                + p.feePerMegaComputeUnit() + " / 1,000,000)) base units, times " + percent(p.noneFeeMultiplierBps())
                + " for NONE and " + percent(p.teeFeeMultiplierBps()) + " for TEE jobs; the client escrows its max fee and "
                + "gets back what the fee does not use");
        r.add("a settled fee is split " + percent(p.nodeShareBps()) + " to the node, " + percent(p.validatorShareBps())
                + " to the validator and " + percent(p.treasuryShareBps()) + " to the treasury");
        r.add("missing a result deadline costs missedDeadlinePenaltyBps/100 = " + percent(p.missedDeadlinePenaltyBps())
                + " of stake, paid to the treasury");
        r.add("jailed after jailAfterMisses = " + p.jailAfterMisses() + " misses for jailBlocks = " + p.jailBlocks()
                + " blocks; a jailed node gets no jobs and must send unjail, with at least the minimum stake, once the jail ends");
        r.add("a job whose node misses the deadline is reassigned up to maxReassignments = " + p.maxReassignments()
                + " times, then expires and the client's whole escrow is refunded");
        r.add("a queued job that no node can take expires after maxQueueBlocks = " + p.maxQueueBlocks()
                + " blocks, and the client's whole escrow is refunded");
        r.add("a job's result is due " + p.minDeadlineBlocks() + " to " + p.maxDeadlineBlocks()
                + " blocks (the job's deadlineBlocks) after it is assigned");
        r.add("an OPTIMISTIC result settles challengeWindowBlocks = " + p.challengeWindowBlocks() + " blocks after it is posted "
                + "unless challenged; a challenger escrows challengerBond = " + Amounts.formatTokens(p.challengerBond()));
        r.add("in a dispute each party has moveDeadlineBlocks = " + p.moveDeadlineBlocks() + " blocks per move and for the "
                + "step proof; whoever misses a deadline or is proven wrong loses disputeSlashBps/100 = "
                + percent(p.disputeSlashBps()) + " of its stake (a challenger: of its bond), " + percent(p.winnerShareBps())
                + " of that to the winner and the rest to the treasury");
        r.add("a SAMPLED result is audited with probability auditProbabilityBps/100 = " + percent(p.auditProbabilityBps())
                + "; the auditor is paid the job's NONE price, and an auditor whose trace differs opens a dispute");
        return r;
    }

    /** 100 basis points → "1%"; 12000 → "120%"; 150 → "1.5%". */
    static String percent(long bps) {
        return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
