package dev.verity.sdk.api;

/**
 * The state of a submitted transaction: PENDING (acknowledged, durable, waiting for a block),
 * INCLUDED (in block {@code height}), or REFUSED (dropped when its block was built, or when the node reloaded its
 * stored mempool, at {@code height}). A refusal carries the ledger's reject {@code code} (e.g. {@code BAD_NONCE},
 * the same codes a refusal at submission answers with in {@link ApiError}) and its {@code message} as two fields;
 * both are null unless REFUSED.
 */
public record TransactionReceipt(String hash, String status, long height, String code, String message) {
    public static final String PENDING = "PENDING";
    public static final String INCLUDED = "INCLUDED";
    public static final String REFUSED = "REFUSED";

    /** A receipt without a refusal. */
    public TransactionReceipt(String hash, String status, long height) {
        this(hash, status, height, null, null);
    }

    /** True when the transaction was refused; {@link #code()} and {@link #message()} say why. */
    public boolean refused() {
        return REFUSED.equals(status);
    }

    /** The refusal as an API error (code and message), or null unless REFUSED. */
    public ApiError rejection() {
        return refused() ? new ApiError(code, message) : null;
    }
}
