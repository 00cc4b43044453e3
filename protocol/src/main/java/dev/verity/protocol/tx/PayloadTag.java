package dev.verity.protocol.tx;

/**
 * The {@code tag:u8} that opens each {@link Payload} variant in transaction bytes (docs/PROTOCOL.md). The numbers
 * are consensus: a tag is never reused or renumbered, a new variant takes the next free one. Each constant is named
 * after its variant ({@code RegisterNode} is {@link #REGISTER_NODE}); {@code PayloadTagsTest} pins them.
 */
public final class PayloadTag {
    public static final int TRANSFER = 1;
    public static final int REGISTER_NODE = 2;
    public static final int BOND = 3;
    public static final int UNBOND = 4;
    public static final int WITHDRAW = 5;
    public static final int UNJAIL = 6;
    public static final int REGISTER_MODEL = 7;
    public static final int REGISTER_ENCLAVE = 8;
    public static final int SUBMIT_JOB = 9;
    public static final int SUBMIT_RESULT = 10;
    public static final int GOVERN = 11;
    public static final int REGISTER_PROGRAM = 12;
    public static final int CHALLENGE = 13;
    public static final int DISPUTE_MOVE = 14;
    public static final int PROVE_STEP = 15;
    public static final int AUDIT_REPORT = 16;
    public static final int SUBMIT_FAILURE = 17;
    public static final int SET_CAPACITY = 18;
    public static final int SUBMIT_JOBS = 19;
    public static final int SUBMIT_RESULTS = 20;
    public static final int VALIDATOR_BOND = 21;
    public static final int VALIDATOR_LEAVE = 22;
    public static final int REPORT_EQUIVOCATION = 23;
    public static final int SET_NODE_ENDPOINT = 24;

    private PayloadTag() {}
}
