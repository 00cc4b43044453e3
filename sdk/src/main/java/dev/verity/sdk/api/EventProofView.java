package dev.verity.sdk.api;

import java.util.List;

/**
 * An event of a block proven against the block's events root (the binary Merkle tree over the block's encoded events,
 * in order). Check it offline with {@link dev.verity.sdk.proof.ProofVerifier}.
 *
 * @param height     the block's height
 * @param index      the event's position among the block's events, from 0
 * @param eventCount how many events the block emitted (the tree's leaf count, which fixes the path's shape)
 * @param event      the encoded event, hex (its Merkle leaf is SHA-256(0x00 || event))
 * @param path       the sibling hashes from the leaf up, hex, skipping levels where the node is carried up alone
 * @param header     the block's header
 * @param blockHash  SHA-256 of the header's encoding
 */
public record EventProofView(long height, int index, int eventCount, String event, List<String> path, HeaderView header,
                             String blockHash) {}
