package dev.verity.validator.api;

import dev.verity.protocol.Params;
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

    static Map<String, Object> build(String chainId, Params p, long basePrice, long treasuryBalance) {
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
        out.put("basePrice", basePrice);
        out.put("treasuryBalance", treasuryBalance);
        out.put("rules", rules(p));
        return out;
    }

    static List<String> rules(Params p) {
        List<String> r = new ArrayList<>();
        r.add("a node must stake at least minStake = " + Amounts.formatTokens(p.minStake()) + " to register and to be assigned jobs");
        r.add("a validator must stake at least minValidatorStake = " + Amounts.formatTokens(p.minValidatorStake())
                + " to join the validator set; signing two different votes at one height costs validatorSlashBps/100 = "
                + percent(p.validatorSlashBps()) + " of its stake, winnerShareBps/100 = " + percent(p.winnerShareBps())
                + " of that to whoever reports it, the rest to the treasury, and its place in the set");
        r.add("unbonded stake can be withdrawn unbondingBlocks = " + p.unbondingBlocks() + " blocks after the unbond transaction");
        r.add("a job costs max(minJobFee = " + p.minJobFee() + ", ceil(computeUnits x (basePrice + tip) / 10^15)) base units, times "
                + percent(p.noneFeeMultiplierBps()) + " for NONE, " + percent(p.teeFeeMultiplierBps()) + " for TEE, "
                + percent(p.optimisticFeeMultiplierBps()) + " for OPTIMISTIC, " + percent(p.sampledFeeMultiplierBps())
                + " for SAMPLED and " + percent(p.zkFeeMultiplierBps()) + " for ZK jobs, capped by the client's max fee (the cap cuts "
                + "the tip; a job whose fee at the base price alone does not fit is refused); the client escrows its max fee and "
                + "gets back what the fee does not use");
        r.add("the base price per 10^15 compute units (initialBasePrice = " + p.initialBasePrice() + " at genesis) moves at the end of every block by up to "
                + "basePriceChangeBps/100 = " + percent(p.basePriceChangeBps()) + " toward targetComputeUnitsPerBlock = "
                + p.targetComputeUnitsPerBlock() + ": up when the block's submitted jobs used more compute units, down when less "
                + "(EIP-1559), never below minBasePrice = " + p.minBasePrice() + "; a job pays the price of the block that took it, "
                + "and queued jobs are assigned highest tip first");
        r.add("an OPTIMISTIC result can be challenged for challengeWindowBlocks = " + p.challengeWindowBlocks()
                + " blocks by anyone who escrows challengerBond = " + Amounts.formatTokens(p.challengerBond())
                + "; each bisection move is due within moveDeadlineBlocks = " + p.moveDeadlineBlocks() + " blocks");
        r.add("a SAMPLED result is audited with probability auditProbabilityBps/100 = " + percent(p.auditProbabilityBps())
                + ", drawn from a block hash the node could not know; the client then also pays the auditor the job's NONE price");
        r.add("the loser of a dispute loses disputeSlashBps/100 = " + percent(p.disputeSlashBps())
                + " of its stake (unbonding included) or bond; winnerShareBps/100 = " + percent(p.winnerShareBps())
                + " of that goes to the winner, the rest to the treasury; a party that misses a move deadline loses");
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
        return r;
    }

    /** 100 basis points → "1%"; 12000 → "120%"; 150 → "1.5%". */
    static String percent(long bps) {
        return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
