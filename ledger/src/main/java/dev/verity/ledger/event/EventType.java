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
    JOB_CANCELLED
}
