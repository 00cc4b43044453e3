package dev.verity.ledger.state;

import dev.verity.core.Coded;

public enum JobStatus implements Coded {
    /** Waiting for an eligible node. */
    QUEUED(0),
    /** A node must post its result by the deadline height. */
    ASSIGNED(1),
    /** Verified and paid. */
    SETTLED(2),
    /** Nobody answered in time, or no node could take it; the escrow went back to the client. */
    EXPIRED(3),
    /** Its enclave was revoked and no fallback mode was left; the escrow went back to the client. */
    CANCELLED(4),
    /** An {@code OPTIMISTIC} or {@code SAMPLED} result was posted; it settles after its window or audit. */
    VERIFYING(5),
    /** A bisection game is running over the posted result. */
    DISPUTED(6),
    /** Its node reported that the input was refused (and proved it where the mode asks); the node was paid, the rest refunded. */
    FAILED(7);

    private final int code;

    JobStatus(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static JobStatus fromCode(int code) {
        return Coded.fromCode(values(), code, "job status");
    }
}
