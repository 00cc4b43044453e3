package dev.verity.receipt;

/**
 * The checks of a receipt, in the order {@link ReceiptVerifier} makes them (except that a receipt holding no event at
 * all is refused as {@link #EVENT_SUBJECT} right after {@link #CHAIN}); a refusal names the one that failed.
 */
public enum ReceiptCheck {
    /** The bytes are not one canonical receipt (only when verifying bytes: {@link ReceiptVerifier#verify(byte[], TrustedValidators)}). */
    FORMAT,
    /** The receipt, a header or a vote is of another chain than the trusted validators'. */
    CHAIN,
    /** A certificate's vote does not name its header (hash, height, state root), or two headers claim one height. */
    HEADER,
    /** A validator-set change is not certified by the set in force before it, or its state proof does not hold. */
    SET_CHANGE,
    /** A block's certificate does not check against the validator set in force at its height. */
    CERTIFICATE,
    /** An event's Merkle path does not lead to its block's events root. */
    EVENT_PROOF,
    /** The receipt holds no event, or an event is not about the receipt's job. */
    EVENT_SUBJECT
}
