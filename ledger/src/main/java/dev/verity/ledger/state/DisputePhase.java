package dev.verity.ledger.state;

import dev.verity.core.Coded;

/** A dispute either narrows its range by bisection moves, or waits for the proof of its single step. */
public enum DisputePhase implements Coded {
    BISECT(0),
    STEP(1);

    private final int code;

    DisputePhase(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static DisputePhase fromCode(int code) {
        return Coded.fromCode(values(), code, "dispute phase");
    }
}
