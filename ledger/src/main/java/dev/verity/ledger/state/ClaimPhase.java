package dev.verity.ledger.state;

/** Where a posted {@code OPTIMISTIC} or {@code SAMPLED} result stands before it settles. */
public enum ClaimPhase {
    /** {@code OPTIMISTIC}: anyone with a bond may challenge until the window closes. */
    CHALLENGE_WINDOW,
    /** {@code SAMPLED}: waiting for the block whose hash decides whether it is audited. */
    AWAITING_AUDIT_DRAW,
    /** {@code SAMPLED}: an auditor must re-run the job and report its trace root. */
    AUDITING,
    /** A bisection game is running over the result's trace. */
    DISPUTED
}
