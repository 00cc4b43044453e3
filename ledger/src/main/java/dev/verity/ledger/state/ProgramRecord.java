package dev.verity.ledger.state;

import dev.verity.core.Hash;

/**
 * The integer program of a model, as its owner committed it: the program root (Merkle root over the
 * program's io leaf and op leaves, see docs/PROTOCOL.md), the number of those leaves and the number of
 * engine steps. A dispute's single step is checked against it; nodes check it against the package
 * before they serve the model in a provable mode.
 */
public record ProgramRecord(Hash model, Hash root, long leafCount, long stepCount, long registeredAt) {
    /** Trace values of one run: the input state, one state per step, and the output hash. */
    public long traceSize() {
        return stepCount + 2;
    }
}
