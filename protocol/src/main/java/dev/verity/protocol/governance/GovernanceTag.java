package dev.verity.protocol.governance;

/**
 * The {@code u8} tags of governance actions and revocation targets in transaction and state bytes
 * (docs/PROTOCOL.md). Consensus numbers: never reused or renumbered. Each constant is named after its variant;
 * {@code PayloadTagsTest} pins them.
 */
public final class GovernanceTag {
    /** {@link GovernanceAction} variants. */
    public static final int ADD_COLLATERAL = 1;
    public static final int REMOVE_COLLATERAL = 2;
    public static final int APPROVE_MEASUREMENT = 3;
    public static final int REVOKE = 4;
    public static final int REINSTATE = 5;
    public static final int SET_MINIMUM_TCB = 6;
    public static final int REPLACE_COUNCIL = 7;
    public static final int SET_VERIFICATION_PARAMS = 8;

    /** {@link RevocationTarget} variants (a separate numbering: targets are encoded after an action's tag). */
    public static final int TARGET_VENDOR = 1;
    public static final int TARGET_CHIP = 2;
    public static final int TARGET_MEASUREMENT = 3;

    private GovernanceTag() {}
}
