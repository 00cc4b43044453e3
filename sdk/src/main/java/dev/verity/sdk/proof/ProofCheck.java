package dev.verity.sdk.proof;

/** The check of a proof that failed, in the order {@link ProofVerifier} makes them. */
public enum ProofCheck {
    /** A field is missing or malformed: not hex, the wrong size, or a proof that does not decode. */
    FORMAT,
    /** The proof is about another row, or another block and event position, than the one asked for. */
    SUBJECT,
    /** The header's fields do not hash to the claimed block hash. */
    BLOCK_HASH,
    /** The trie proof does not lead from the row, or from its absence, to the header's state root. */
    STATE_PROOF,
    /** The Merkle path does not lead from the event to the header's events root. */
    EVENT_PROOF
}
