package dev.verity.validator.chain;

/**
 * The node stopped after a storage failure (a block or a transaction could not be written): it acknowledges no
 * transaction and serves no state until it is restarted from its data directory. An API answers it with
 * {@code 503} and the code {@link #CODE}.
 */
public final class NodeHaltedException extends RuntimeException {
    /** The stable error code for clients. */
    public static final String CODE = "NODE_HALTED";

    private final String reason;

    public NodeHaltedException(String reason) {
        super("the node has stopped after a storage failure and accepts nothing until it is restarted: " + reason, null,
                false, false);
        this.reason = reason;
    }

    /** Why the node stopped, as {@link ChainNode#failure()} reports it. */
    public String reason() {
        return reason;
    }
}
