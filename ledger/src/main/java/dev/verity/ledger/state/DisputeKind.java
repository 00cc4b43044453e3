package dev.verity.ledger.state;

/** How a dispute started: a bonded challenge of an {@code OPTIMISTIC} result, or a {@code SAMPLED} audit that disagreed. */
public enum DisputeKind {
    CHALLENGE,
    AUDIT
}
