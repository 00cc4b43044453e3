package dev.verity.ledger.state;

public enum JobStatus {
    /** Waiting for an eligible node. */
    QUEUED,
    /** A node must post its result by the deadline height. */
    ASSIGNED,
    /** Verified and paid. */
    SETTLED,
    /** Nobody answered in time, or no node could take it; the escrow went back to the client. */
    EXPIRED,
    /** Its enclave was revoked and no fallback mode was left; the escrow went back to the client. */
    CANCELLED,
    /** An {@code OPTIMISTIC} or {@code SAMPLED} result was posted; it settles after its window or audit. */
    VERIFYING,
    /** A bisection game is running over the posted result. */
    DISPUTED
}
