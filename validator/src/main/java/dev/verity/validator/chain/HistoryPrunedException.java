package dev.verity.validator.chain;

import dev.verity.validator.storage.Retention;

/**
 * What was asked for lies in history that this pruned node deleted, or may: a lookup by hash (a transaction, a finished
 * job) that finds nothing cannot tell "never existed" from "pruned". An API answers it with {@code 410 Gone} and the
 * code {@link #CODE}, so that a client asks an archive validator instead of concluding it never existed.
 */
public final class HistoryPrunedException extends RuntimeException {
    /** The stable error code for clients. */
    public static final String CODE = "PRUNED";

    private final long lowestHeight;

    HistoryPrunedException(String what, Retention retention) {
        super(what + ": this validator is pruned, it keeps the history of its newest " + retention.retainBlocks()
                + " blocks, from height " + retention.lowestHeight() + " on, and deleted what came before; an archive "
                + "validator keeps every height", null, false, false);
        this.lowestHeight = retention.lowestHeight();
    }

    /** The lowest height whose history the node still held when it answered. */
    public long lowestHeight() {
        return lowestHeight;
    }
}
