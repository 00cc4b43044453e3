package dev.verity.sdk.api;

/**
 * A row of the state (an account, node, model or live job) proven against the state root of the head block, read
 * under one hold of the chain so the header and the proof belong together. Check it offline with
 * {@link dev.verity.sdk.proof.ProofVerifier}.
 *
 * @param table     the state table ({@code accounts}, {@code nodes}, {@code models}, {@code jobs})
 * @param id        the row's id as asked (hex)
 * @param key       the row's storage key, hex: the table id byte, then the id's canonical encoding
 * @param value     the encoded row, hex; null when the proof shows the row absent
 * @param proof     the canonical {@code TrieProof} encoding, hex
 * @param header    the head block's header, whose {@code stateRoot} the proof leads to
 * @param blockHash SHA-256 of the header's encoding
 * @param note      what an absent row means for this table (null when the row is present); not part of the proof
 */
public record StateProofView(String table, String id, String key, String value, String proof, HeaderView header,
                             String blockHash, String note) {}
