package dev.verity.protocol;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;

/**
 * Chain parameters. Amounts are in base units (1 VRT = 1,000,000 base units); shares and
 * multipliers in basis points (10,000 = 100%). The slashing and penalty rules are here so an
 * operator can read them before staking (see docs/SLASHING.md).
 */
public record Params(
        long minStake,
        long unbondingBlocks,
        int maxTransactionBytes,
        int maxInputBytes,
        int maxOutputBytes,
        int maxEvidenceBytes,
        int maxAttestationBytes,
        long initialBasePrice,
        long minJobFee,
        long noneFeeMultiplierBps,
        long teeFeeMultiplierBps,
        long nodeShareBps,
        long validatorShareBps,
        long treasuryShareBps,
        int maxReassignments,
        long missedDeadlinePenaltyBps,
        int jailAfterMisses,
        long jailBlocks,
        long minDeadlineBlocks,
        long maxDeadlineBlocks,
        long maxQueueBlocks,
        int maxModelsPerNode,
        int maxAssignmentsPerBlock,
        long optimisticFeeMultiplierBps,
        long sampledFeeMultiplierBps,
        long challengeWindowBlocks,
        long moveDeadlineBlocks,
        long challengerBond,
        long disputeSlashBps,
        long winnerShareBps,
        long auditProbabilityBps,
        int maxWitnessBytes,
        long minBasePrice,
        long targetComputeUnitsPerBlock,
        long basePriceChangeBps,
        long zkFeeMultiplierBps,
        long minValidatorStake,
        long validatorSlashBps) {

    public static final long BASE_UNITS_PER_TOKEN = 1_000_000L;
    /** Prices are per peta compute unit: 10^15 multiply-accumulates. */
    public static final long COMPUTE_UNITS_PER_PRICE_UNIT = 1_000_000_000_000_000L;

    public static Params defaults() {
        return new Params(
                1_000 * BASE_UNITS_PER_TOKEN, // minStake: 1,000 VRT
                20, // unbondingBlocks
                256 * 1024, // maxTransactionBytes
                64 * 1024, // maxInputBytes
                64 * 1024, // maxOutputBytes
                1024, // maxEvidenceBytes
                16 * 1024, // maxAttestationBytes
                7_000, // initialBasePrice: base units per 10^15 compute units, an H100-hour (3.6 x 10^17) pays 2.52 VRT
                1_000, // minJobFee
                10_000, // NONE pays the base price
                12_000, // TEE pays 20% more for enclave hardware
                8_000, // node share 80%
                1_000, // validator share 10%
                1_000, // treasury share 10%
                2, // maxReassignments
                100, // missed deadline: 1% of stake
                3, // jailed after 3 missed deadlines
                50, // jail lasts 50 blocks
                2, // minDeadlineBlocks
                10_000, // maxDeadlineBlocks
                200, // maxQueueBlocks
                32, // maxModelsPerNode
                10_000, // maxAssignmentsPerBlock
                11_000, // OPTIMISTIC pays 10% more: the node hashes every intermediate state and keeps the trace
                10_000, // SAMPLED pays the base price; an audited job also pays its auditor the NONE price
                10, // challengeWindowBlocks
                5, // moveDeadlineBlocks
                100 * BASE_UNITS_PER_TOKEN, // challengerBond: 100 VRT
                1_000, // disputeSlashBps: the loser of a dispute loses 10% of its stake or bond
                5_000, // winnerShareBps: half of that goes to the winner, the rest to the treasury
                1_000, // auditProbabilityBps: 10% of SAMPLED results are re-run
                128 * 1024, // maxWitnessBytes
                70, // minBasePrice: 1% of the initial price, so an idle network cannot price work at zero
                1_000_000_000_000_000L, // targetComputeUnitsPerBlock: half of 100 H100-class GPUs (10^14 CU/s) for 200 ms
                1_250, // basePriceChangeBps: at most 12.5% per block, EIP-1559's step
                1_000_000, // zkFeeMultiplierBps: 100x, a validity proof costs about 100x the inference
                1_000 * BASE_UNITS_PER_TOKEN, // minValidatorStake: 1,000 VRT to join the validator set
                5_000); // validatorSlashBps: an equivocating validator loses half of its validator stake
    }

    /** Checks the relations between parameters; returns null when they hold, else what is wrong. */
    public String problem() {
        if (nodeShareBps + validatorShareBps + treasuryShareBps != 10_000) {
            return "node, validator and treasury shares must add up to 10000 basis points";
        }
        if (minStake <= 0 || unbondingBlocks < 0 || jailBlocks < 0 || maxReassignments < 0 || jailAfterMisses < 1) {
            return "stakes, periods and counts must be positive";
        }
        if (missedDeadlinePenaltyBps < 0 || missedDeadlinePenaltyBps > 10_000) {
            return "the missed-deadline penalty must be within 0..10000 basis points";
        }
        if (minDeadlineBlocks < 1 || maxDeadlineBlocks < minDeadlineBlocks) {
            return "deadline bounds must satisfy 1 <= min <= max";
        }
        if (noneFeeMultiplierBps <= 0 || teeFeeMultiplierBps <= 0 || optimisticFeeMultiplierBps <= 0
                || sampledFeeMultiplierBps <= 0 || zkFeeMultiplierBps <= 0 || minJobFee < 0) {
            return "fee parameters must be positive";
        }
        if (minBasePrice < 1 || initialBasePrice < minBasePrice) {
            return "the base price must start at or above minBasePrice, which must be at least 1";
        }
        if (targetComputeUnitsPerBlock < 1 || basePriceChangeBps < 0 || basePriceChangeBps > 10_000) {
            return "the compute-unit target must be positive and the base price step within 0..10000 basis points";
        }
        if (minValidatorStake < 1) {
            return "the minimum validator stake must be positive";
        }
        if (validatorSlashBps < 1 || validatorSlashBps > 10_000) {
            return "the validator equivocation slash must be within 1..10000 basis points";
        }
        return verificationProblem();
    }

    /** The relations between the dispute and audit parameters; null when they hold. */
    public String verificationProblem() {
        if (challengeWindowBlocks < 1 || moveDeadlineBlocks < 1) {
            return "the challenge window and the move deadline must be at least one block";
        }
        if (challengerBond < 1) {
            return "the challenger bond must be positive";
        }
        if (disputeSlashBps < 1 || disputeSlashBps > 10_000 || winnerShareBps < 0 || winnerShareBps > 10_000) {
            return "the dispute slash must be within 1..10000 and the winner's share within 0..10000 basis points";
        }
        if (auditProbabilityBps < 1 || auditProbabilityBps > 10_000) {
            return "the audit probability must be within 1..10000 basis points";
        }
        if (unbondingBlocks <= challengeWindowBlocks) {
            return "unbondingBlocks must exceed challengeWindowBlocks, so a node cannot withdraw stake a pending result can still lose";
        }
        if (maxWitnessBytes < 1024) {
            return "maxWitnessBytes must be at least 1024";
        }
        return null;
    }

    /** These parameters with the dispute and audit parameters replaced. */
    public Params withVerification(long window, long moveDeadline, long bond, long slashBps, long winnerBps, long auditBps) {
        return new Params(minStake, unbondingBlocks, maxTransactionBytes, maxInputBytes, maxOutputBytes, maxEvidenceBytes,
                maxAttestationBytes, initialBasePrice, minJobFee, noneFeeMultiplierBps, teeFeeMultiplierBps,
                nodeShareBps, validatorShareBps, treasuryShareBps, maxReassignments, missedDeadlinePenaltyBps,
                jailAfterMisses, jailBlocks, minDeadlineBlocks, maxDeadlineBlocks, maxQueueBlocks, maxModelsPerNode,
                maxAssignmentsPerBlock, optimisticFeeMultiplierBps, sampledFeeMultiplierBps, window, moveDeadline, bond,
                slashBps, winnerBps, auditBps, maxWitnessBytes, minBasePrice, targetComputeUnitsPerBlock, basePriceChangeBps,
                zkFeeMultiplierBps, minValidatorStake, validatorSlashBps);
    }

    public long feeMultiplierBps(VerificationMode mode) {
        return switch (mode) {
            case NONE -> noneFeeMultiplierBps;
            case TEE -> teeFeeMultiplierBps;
            case OPTIMISTIC -> optimisticFeeMultiplierBps;
            case SAMPLED -> sampledFeeMultiplierBps;
            case ZK -> zkFeeMultiplierBps;
        };
    }

    public void encode(Encoder e) {
        e.u64(minStake).u64(unbondingBlocks).u32(maxTransactionBytes).u32(maxInputBytes).u32(maxOutputBytes)
                .u32(maxEvidenceBytes).u32(maxAttestationBytes).u64(initialBasePrice).u64(minJobFee)
                .u64(noneFeeMultiplierBps).u64(teeFeeMultiplierBps).u64(nodeShareBps).u64(validatorShareBps)
                .u64(treasuryShareBps).u32(maxReassignments).u64(missedDeadlinePenaltyBps).u32(jailAfterMisses)
                .u64(jailBlocks).u64(minDeadlineBlocks).u64(maxDeadlineBlocks).u64(maxQueueBlocks)
                .u32(maxModelsPerNode).u32(maxAssignmentsPerBlock).u64(optimisticFeeMultiplierBps)
                .u64(sampledFeeMultiplierBps).u64(challengeWindowBlocks).u64(moveDeadlineBlocks).u64(challengerBond)
                .u64(disputeSlashBps).u64(winnerShareBps).u64(auditProbabilityBps).u32(maxWitnessBytes)
                .u64(minBasePrice).u64(targetComputeUnitsPerBlock).u64(basePriceChangeBps).u64(zkFeeMultiplierBps)
                .u64(minValidatorStake).u64(validatorSlashBps);
    }

    public static Params decode(Decoder d) {
        return new Params(d.u64("minStake"), d.u64("unbondingBlocks"), (int) d.u32("maxTransactionBytes"),
                (int) d.u32("maxInputBytes"), (int) d.u32("maxOutputBytes"), (int) d.u32("maxEvidenceBytes"),
                (int) d.u32("maxAttestationBytes"), d.u64("initialBasePrice"), d.u64("minJobFee"),
                d.u64("noneFeeMultiplierBps"), d.u64("teeFeeMultiplierBps"), d.u64("nodeShareBps"),
                d.u64("validatorShareBps"), d.u64("treasuryShareBps"), (int) d.u32("maxReassignments"),
                d.u64("missedDeadlinePenaltyBps"), (int) d.u32("jailAfterMisses"), d.u64("jailBlocks"),
                d.u64("minDeadlineBlocks"), d.u64("maxDeadlineBlocks"), d.u64("maxQueueBlocks"),
                (int) d.u32("maxModelsPerNode"), (int) d.u32("maxAssignmentsPerBlock"), d.u64("optimisticFeeMultiplierBps"),
                d.u64("sampledFeeMultiplierBps"), d.u64("challengeWindowBlocks"), d.u64("moveDeadlineBlocks"),
                d.u64("challengerBond"), d.u64("disputeSlashBps"), d.u64("winnerShareBps"), d.u64("auditProbabilityBps"),
                (int) d.u32("maxWitnessBytes"), d.u64("minBasePrice"), d.u64("targetComputeUnitsPerBlock"),
                d.u64("basePriceChangeBps"), d.u64("zkFeeMultiplierBps"), d.u64("minValidatorStake"),
                d.u64("validatorSlashBps"));
    }
}
