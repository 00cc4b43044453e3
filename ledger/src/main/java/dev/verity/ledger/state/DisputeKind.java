package dev.verity.ledger.state;

import dev.verity.core.Coded;

/** How a dispute started: a bonded challenge of an {@code OPTIMISTIC} result, or a {@code SAMPLED} audit that disagreed. */
public enum DisputeKind implements Coded {
    CHALLENGE(0),
    AUDIT(1);

    private final int code;

    DisputeKind(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static DisputeKind fromCode(int code) {
        return Coded.fromCode(values(), code, "dispute kind");
    }
}
