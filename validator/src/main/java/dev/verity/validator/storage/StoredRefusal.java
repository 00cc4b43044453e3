package dev.verity.validator.storage;

import java.util.Objects;

/**
 * A transaction the node dropped without putting it in a block, kept so that its receipt can answer why.
 *
 * @param txHash the 32-byte transaction hash
 * @param height the block height at which it was refused (the block it was refused in, or the head height when
 *               the stored mempool was reloaded)
 * @param reason the refusal, as {@code "CODE: message"}
 */
public record StoredRefusal(byte[] txHash, long height, String reason) {
    public StoredRefusal {
        Keys.requireHash(txHash, "txHash");
        Keys.requireHeight(height);
        Objects.requireNonNull(reason, "reason");
    }
}
