package dev.verity.sdk.api;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.block.BlockHeader;

/**
 * Every field of a block header, hashes and keys in hex: enough to encode it again and recompute the block hash
 * (SHA-256 of the header's encoding), which is how a proof's header is checked.
 */
public record HeaderView(String chainId, long height, String previousHash, long timestampMillis, String transactionsRoot,
                         String stateRoot, String eventsRoot, String producer) {

    public static HeaderView of(BlockHeader h) {
        return new HeaderView(h.chainId(), h.height(), h.previousHash().hex(), h.timestampMillis(), h.transactionsRoot().hex(),
                h.stateRoot().hex(), h.eventsRoot().hex(), h.producer().hex());
    }

    /** The header itself. @throws IllegalArgumentException naming the first field that is not valid hex of its size */
    public BlockHeader toHeader() {
        if (chainId == null) {
            throw new IllegalArgumentException("the header has no chainId");
        }
        return new BlockHeader(chainId, height, hash("previousHash", previousHash), timestampMillis,
                hash("transactionsRoot", transactionsRoot), hash("stateRoot", stateRoot), hash("eventsRoot", eventsRoot),
                key("producer", producer));
    }

    private static Hash hash(String field, String hex) {
        try {
            return Hash.fromHex(hex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("header field " + field + " is not a hash (64 hex characters): '" + hex + "'", e);
        }
    }

    private static PublicKey key(String field, String hex) {
        try {
            return PublicKey.fromHex(hex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("header field " + field + " is not a public key (64 hex characters): '" + hex + "'", e);
        }
    }
}
