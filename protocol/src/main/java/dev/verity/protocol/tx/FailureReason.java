package dev.verity.protocol.tx;

import dev.verity.core.Coded;

/** Whose fault it was that an assigned node could not run a job (docs/SLASHING.md says who pays). */
public enum FailureReason implements Coded {
    /**
     * The runtime or the model refused the job's input: the client's fault. The node is paid its fee from the
     * client's escrow, so sending inputs no node can run is never free.
     */
    INPUT_REJECTED(1),
    /** The node itself failed (crash, out of memory, timeout): a missed job, as if its deadline had passed. */
    NODE_FAULT(2);

    private final int code;

    FailureReason(int code) {
        this.code = code;
    }

    /** The stable code of this reason in consensus bytes. */
    @Override
    public int code() {
        return code;
    }

    public static FailureReason fromCode(int code) {
        return Coded.fromCode(values(), code, "failure reason");
    }

    public static FailureReason parse(String name) {
        for (FailureReason r : values()) {
            if (r.name().equalsIgnoreCase(name.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown failure reason '" + name + "' (expected INPUT_REJECTED or NODE_FAULT)");
    }
}
