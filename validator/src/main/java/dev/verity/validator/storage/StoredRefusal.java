package dev.verity.validator.storage;

import java.util.Objects;

/**
 * A transaction the node dropped without putting it in a block, kept so that its receipt can answer why.
 *
 * @param txHash  the 32-byte transaction hash
 * @param height  the block height at which it was refused (the block it was refused in, or the head height when
 *                the stored mempool was reloaded)
 * @param code    the ledger's reject code ({@code RejectCode} name, e.g. {@code BAD_NONCE}): at most
 *                {@value #MAX_CODE_BYTES} ASCII upper-case letters, digits and underscores
 * @param message what was wrong, in words
 */
public record StoredRefusal(byte[] txHash, long height, String code, String message) {
    public static final int MAX_CODE_BYTES = 64;

    public StoredRefusal {
        Keys.requireHash(txHash, "txHash");
        Keys.requireHeight(height);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (!code.matches("[A-Z][A-Z0-9_]{0," + (MAX_CODE_BYTES - 1) + "}")) {
            throw new IllegalArgumentException("a reject code is 1 to " + MAX_CODE_BYTES
                    + " upper-case letters, digits and underscores, got '" + code + "'");
        }
    }
}
