package dev.verity.ledger;

/** Why a transaction was refused; the code is stable, the message says what to do about it. */
public enum RejectCode {
    MALFORMED,
    OVERSIZED,
    WRONG_CHAIN,
    BAD_SIGNATURE,
    BAD_NONCE,
    INSUFFICIENT_FUNDS,
    INVALID_AMOUNT,
    STAKE_TOO_LOW,
    NODE_EXISTS,
    UNKNOWN_NODE,
    NODE_JAILED,
    UNKNOWN_MODEL,
    MODEL_EXISTS,
    UNKNOWN_JOB,
    NOT_ASSIGNED,
    JOB_NOT_OPEN,
    MODE_NOT_SUPPORTED,
    FEE_TOO_LOW,
    INVALID_DEADLINE,
    INVALID_EVIDENCE,
    INVALID_ATTESTATION,
    ENCLAVE_EXISTS,
    NOTHING_TO_WITHDRAW,
    NOT_JAILED,
    INVALID_PARAMETER,
    /** A governance proposal out of order, without enough council approvals, or that changes nothing. */
    INVALID_PROPOSAL,
    /** A job input that does not match its model's declared input schema. */
    INVALID_INPUT,
    /** A node at its declared capacity, or a capacity out of range. */
    INVALID_CAPACITY,
    /** The sender (or the validator an equivocation report names) is not in the validator set, or has no validator stake. */
    NOT_VALIDATOR,
    /** The validator set holds {@code ValidatorSet.MAX_MEMBERS} validators already. */
    VALIDATOR_SET_FULL,
    /** The last validator cannot leave: nobody would sign the next block. */
    LAST_VALIDATOR,
    /** A validator's peer address or API URL is malformed, or another validator's already. */
    INVALID_ADDRESS,
    /** Not a ledger rule: the node's mempool has no room; retry after the next block. */
    MEMPOOL_FULL,
    /** A result's output is not what the model's kind of job answers (a generation result that does not fit its request). */
    INVALID_OUTPUT
}
