package dev.verity.ledger.state;

import dev.verity.core.Coded;

/** Where a posted {@code OPTIMISTIC} or {@code SAMPLED} result stands before it settles. */
public enum ClaimPhase implements Coded {
    /** {@code OPTIMISTIC}: anyone with a bond may challenge until the window closes. */
    CHALLENGE_WINDOW(0),
    /** {@code SAMPLED}: waiting for the block whose hash decides whether it is audited. */
    AWAITING_AUDIT_DRAW(1),
    /** {@code SAMPLED}: an auditor must re-run the job and report its trace root. */
    AUDITING(2),
    /** A bisection game is running over the result's trace. */
    DISPUTED(3),
    /** {@code SAMPLED}: drawn for audit; every node that could audit it is at its capacity, so it waits a block. */
    AWAITING_AUDITOR(4);

    private final int code;

    ClaimPhase(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static ClaimPhase fromCode(int code) {
        return Coded.fromCode(values(), code, "claim phase");
    }
}
