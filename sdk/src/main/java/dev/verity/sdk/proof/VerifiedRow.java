package dev.verity.sdk.proof;

import dev.verity.core.Hash;
import dev.verity.protocol.block.BlockHeader;

/**
 * A state row proven against the state root of {@code header}, whose hash is {@code blockHash}: {@code value} is the
 * encoded row, or null when the row is proven absent. The proof holds only as far as the block does: compare
 * {@code blockHash} with a block hash you trust (from a validator you trust, or a finality certificate).
 */
public record VerifiedRow(Hash blockHash, BlockHeader header, byte[] key, byte[] value) {
    public boolean present() {
        return value != null;
    }
}
