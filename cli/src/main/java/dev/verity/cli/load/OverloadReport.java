package dev.verity.cli.load;

import java.util.Map;

/**
 * What an overload run measured. Jobs: {@code acknowledged} by the mempool (each then ended {@code settled},
 * {@code failed} (a paid input refusal), {@code expired} or {@code cancelled} with its escrow refunded, or was
 * {@code refusedInBlock}; {@code unresolved} is what had not ended when the run stopped waiting, which must be 0),
 * and submissions {@code refusedAtSubmission} by the chain's reason code. Latency is from the submit call to the
 * block that settled the job. Stake and supply are read from the chain before and after; {@code honestStakeLost} is
 * what the nodes' stakes fell by in total, and must be 0.
 */
public record OverloadReport(
        int nodes,
        int declaredCapacity,
        int sustainedTarget,
        long sustainSeconds,
        long submitted,
        long acknowledged,
        Map<String, Long> refusedAtSubmission,
        long refusedInBlock,
        long settled,
        long failed,
        long expired,
        long cancelled,
        long unresolved,
        long settleP50Millis,
        long settleP99Millis,
        long settleMaxMillis,
        long penaltyEvents,
        long jailEvents,
        long stakeBefore,
        long stakeAfter,
        long honestStakeLost,
        long supplyBefore,
        long supplyAfter,
        long queuedAtEnd,
        long basePriceStart,
        long basePricePeak,
        long basePriceEnd,
        long wallSeconds) {

    /** Every acknowledged job ended, no honest node lost stake or was penalized, and no token appeared or vanished. */
    public boolean honestNodesSafe() {
        return unresolved == 0 && honestStakeLost == 0 && penaltyEvents == 0 && jailEvents == 0 && supplyBefore == supplyAfter;
    }
}
