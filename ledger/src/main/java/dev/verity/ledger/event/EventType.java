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
    JOB_EXPIRED
}
