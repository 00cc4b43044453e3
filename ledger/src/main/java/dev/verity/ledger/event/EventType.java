package dev.verity.ledger.event;

import dev.verity.core.Coded;

/** Every kind of event the ledger emits. Payments and penalties always carry a reason. */
public enum EventType implements Coded {
    TRANSFER(0),
    NODE_REGISTERED(1),
    STAKE_BONDED(2),
    STAKE_UNBONDING(3),
    STAKE_WITHDRAWN(4),
    NODE_JAILED(5),
    NODE_UNJAILED(6),
    MODEL_REGISTERED(7),
    ENCLAVE_REGISTERED(8),
    JOB_SUBMITTED(9),
    JOB_ASSIGNED(10),
    MODE_FALLBACK(11),
    RESULT_POSTED(12),
    JOB_SETTLED(13),
    NODE_PAID(14),
    VALIDATOR_PAID(15),
    TREASURY_PAID(16),
    CLIENT_REFUNDED(17),
    DEADLINE_MISSED(18),
    NODE_PENALIZED(19),
    JOB_REQUEUED(20),
    JOB_EXPIRED(21),
    /** A governance proposal was applied. */
    GOVERNANCE_APPLIED(22),
    /** An enclave lost its registration (revocation of its vendor, chip, measurement, TCB level or root). */
    ENCLAVE_REVOKED(23),
    /** A TEE job whose enclave was revoked moved to its next fallback mode and back to the queue. */
    JOB_MOVED(24),
    /** A TEE job whose enclave was revoked had no fallback mode left; it was cancelled and refunded. */
    JOB_CANCELLED(25),
    /** A model's integer program was registered; the model may now be served in the provable modes. */
    PROGRAM_REGISTERED(26),
    /** A provable result was posted and waits for its challenge window or audit draw. */
    RESULT_PENDING(27),
    /** A result was challenged (or its audit disagreed): a bisection game started. */
    JOB_DISPUTED(28),
    /** A party of a dispute moved. */
    DISPUTE_MOVE(29),
    /** A dispute ended; the reason says who was right, at which trace index, and how many moves it took. */
    DISPUTE_RESOLVED(30),
    /** A node lost part of its stake for a result proven wrong, a lying audit, or a dispute it stopped answering. */
    NODE_SLASHED(31),
    /** A challenger lost part of its bond. */
    BOND_SLASHED(32),
    /** A challenger's (remaining) bond went back to it. */
    BOND_RETURNED(33),
    /** The winner of a dispute received its share of the loser's slash. */
    DISPUTE_REWARD(34),
    /** A SAMPLED result was drawn for audit and an auditor assigned. */
    AUDIT_ASSIGNED(35),
    /** A SAMPLED result was not drawn for audit (or no auditor could take it) and settles as posted. */
    AUDIT_SKIPPED(36),
    /** The auditor's trace root matched the result's. */
    AUDIT_PASSED(37),
    /** An auditor was paid for its re-run. */
    AUDITOR_PAID(38),
    /** A node declared a new capacity (the most jobs it runs at once). */
    CAPACITY_CHANGED(39),
    /**
     * A node reported that it could not run its job; the reason says whose fault it was. A failure caused by the
     * input is paid like a result (NODE_PAID and the other shares follow); a node's own failure counts as a missed job.
     */
    JOB_FAILED(40),
    /** An account joined the validator set ({@code ValidatorBond}); it signs from the next block. Amount: its stake. */
    VALIDATOR_JOINED(41),
    /** A validator added stake or changed its addresses ({@code ValidatorBond}). Amount: the stake added. */
    VALIDATOR_BONDED(42),
    /**
     * A validator left the set, by its {@code ValidatorLeave} or removed for an equivocation; it signs nothing from
     * the next block. Amount: the stake that went to unbonding, withdrawable from the height the reason names.
     */
    VALIDATOR_LEFT(43),
    /** A validator signed two different votes at one height and lost part of its validator stake. Amount: the slash. */
    VALIDATOR_SLASHED(44),
    /** The reporter of an equivocation received its share of the slash. Amount: the reward. */
    EQUIVOCATION_REWARD(45),
    /** A node announced (or withdrew, when the reason says so) the URL where it streams tokens to clients. */
    NODE_ENDPOINT_SET(46);

    private final int code;

    EventType(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static EventType fromCode(int code) {
        return Coded.fromCode(values(), code, "event type");
    }
}
