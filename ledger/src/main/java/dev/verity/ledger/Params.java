package dev.verity.ledger;

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
        long feePerMegaComputeUnit,
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
        int maxAssignmentsPerBlock) {

    public static final long BASE_UNITS_PER_TOKEN = 1_000_000L;

    public static Params defaults() {
        return new Params(
                1_000 * BASE_UNITS_PER_TOKEN, // minStake: 1,000 VRT
                20, // unbondingBlocks
                256 * 1024, // maxTransactionBytes
                64 * 1024, // maxInputBytes
                64 * 1024, // maxOutputBytes
                1024, // maxEvidenceBytes
                16 * 1024, // maxAttestationBytes
                1_000, // feePerMegaComputeUnit
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
                10_000); // maxAssignmentsPerBlock
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
        if (noneFeeMultiplierBps <= 0 || teeFeeMultiplierBps <= 0 || feePerMegaComputeUnit < 0 || minJobFee < 0) {
            return "fee parameters must be positive";
        }
        return null;
    }

    public long feeMultiplierBps(VerificationMode mode) {
        return switch (mode) {
            case NONE -> noneFeeMultiplierBps;
            case TEE -> teeFeeMultiplierBps;
            default -> 0;
        };
    }

    public void encode(Encoder e) {
        e.u64(minStake).u64(unbondingBlocks).u32(maxTransactionBytes).u32(maxInputBytes).u32(maxOutputBytes)
                .u32(maxEvidenceBytes).u32(maxAttestationBytes).u64(feePerMegaComputeUnit).u64(minJobFee)
                .u64(noneFeeMultiplierBps).u64(teeFeeMultiplierBps).u64(nodeShareBps).u64(validatorShareBps)
                .u64(treasuryShareBps).u32(maxReassignments).u64(missedDeadlinePenaltyBps).u32(jailAfterMisses)
                .u64(jailBlocks).u64(minDeadlineBlocks).u64(maxDeadlineBlocks).u64(maxQueueBlocks)
                .u32(maxModelsPerNode).u32(maxAssignmentsPerBlock);
    }

    public static Params decode(Decoder d) {
        return new Params(d.u64("minStake"), d.u64("unbondingBlocks"), (int) d.u32("maxTransactionBytes"),
                (int) d.u32("maxInputBytes"), (int) d.u32("maxOutputBytes"), (int) d.u32("maxEvidenceBytes"),
                (int) d.u32("maxAttestationBytes"), d.u64("feePerMegaComputeUnit"), d.u64("minJobFee"),
                d.u64("noneFeeMultiplierBps"), d.u64("teeFeeMultiplierBps"), d.u64("nodeShareBps"),
                d.u64("validatorShareBps"), d.u64("treasuryShareBps"), (int) d.u32("maxReassignments"),
                d.u64("missedDeadlinePenaltyBps"), (int) d.u32("jailAfterMisses"), d.u64("jailBlocks"),
                d.u64("minDeadlineBlocks"), d.u64("maxDeadlineBlocks"), d.u64("maxQueueBlocks"),
                (int) d.u32("maxModelsPerNode"), (int) d.u32("maxAssignmentsPerBlock"));
    }
}
