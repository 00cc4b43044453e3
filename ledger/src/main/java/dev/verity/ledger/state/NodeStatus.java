package dev.verity.ledger.state;

import dev.verity.core.Coded;

public enum NodeStatus implements Coded {
    ACTIVE(0),
    JAILED(1);

    private final int code;

    NodeStatus(int code) {
        this.code = code;
    }

    /** The stable code of this value in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static NodeStatus fromCode(int code) {
        return Coded.fromCode(values(), code, "node status");
    }
}
