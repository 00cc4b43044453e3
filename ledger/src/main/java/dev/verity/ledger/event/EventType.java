package dev.verity.ledger.event;

/** Every kind of event the ledger emits. Payments and penalties always carry a reason. */
public enum EventType {
    TRANSFER,
    NODE_REGISTERED,
    STAKE_BONDED,
    STAKE_UNBONDING,
    STAKE_WITHDRAWN,
    NODE_JAILED,
    NODE_UNJAILED,
    MODEL_REGISTERED,
    ENCLAVE_REGISTERED,
    JOB_SUBMITTED,
    JOB_ASSIGNED,
    MODE_FALLBACK,
    RESULT_POSTED,
    JOB_SETTLED,
    NODE_PAID,
    VALIDATOR_PAID,
    TREASURY_PAID,
    CLIENT_REFUNDED,
    DEADLINE_MISSED,
    NODE_PENALIZED,
    JOB_REQUEUED,
    JOB_EXPIRED,
    /** A governance proposal was applied. */
    GOVERNANCE_APPLIED,
    /** An enclave lost its registration (revocation of its vendor, chip, measurement, TCB level or root). */
    ENCLAVE_REVOKED,
    /** A TEE job whose enclave was revoked moved to its next fallback mode and back to the queue. */
    JOB_MOVED,
    /** A TEE job whose enclave was revoked had no fallback mode left; it was cancelled and refunded. */
    JOB_CANCELLED,
    /** A model's integer program was registered; the model may now be served in the provable modes. */
    PROGRAM_REGISTERED,
    /** A provable result was posted and waits for its challenge window or audit draw. */
    RESULT_PENDING,
    /** A result was challenged (or its audit disagreed): a bisection game started. */
    JOB_DISPUTED,
    /** A party of a dispute moved. */
    DISPUTE_MOVE,
    /** A dispute ended; the reason says who was right, at which trace index, and how many moves it took. */
    DISPUTE_RESOLVED,
    /** A node lost part of its stake for a result proven wrong, a lying audit, or a dispute it stopped answering. */
    NODE_SLASHED,
    /** A challenger lost part of its bond. */
    BOND_SLASHED,
    /** A challenger's (remaining) bond went back to it. */
    BOND_RETURNED,
    /** The winner of a dispute received its share of the loser's slash. */
    DISPUTE_REWARD,
    /** A SAMPLED result was drawn for audit and an auditor assigned. */
    AUDIT_ASSIGNED,
    /** A SAMPLED result was not drawn for audit (or no auditor could take it) and settles as posted. */
    AUDIT_SKIPPED,
    /** The auditor's trace root matched the result's. */
    AUDIT_PASSED,
    /** An auditor was paid for its re-run. */
    AUDITOR_PAID
}
