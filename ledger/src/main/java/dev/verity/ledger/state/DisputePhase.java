package dev.verity.ledger.state;

/** A dispute either narrows its range by bisection moves, or waits for the proof of its single step. */
public enum DisputePhase {
    BISECT,
    STEP
}
