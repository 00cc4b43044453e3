package dev.verity.validator.storage;

/**
 * What history a store keeps. An archive store keeps every block, transaction index entry, event, refusal and archived
 * job; a pruned one keeps those of its newest {@code retainBlocks} blocks and deletes older ones as the chain advances.
 * Both keep the whole live state.
 *
 * @param retainBlocks {@link #ARCHIVE}, or how many of the newest blocks a pruned store keeps (at least 1)
 * @param lowestHeight the lowest block height whose history the store still holds: 0 while nothing was deleted (the
 *                     genesis document at height 0 is never deleted); everything below it is gone
 */
public record Retention(long retainBlocks, long lowestHeight) {
    /** {@link #retainBlocks()} of an archive store. */
    public static final long ARCHIVE = 0;

    public Retention {
        if (retainBlocks < 0) throw new IllegalArgumentException("retainBlocks must not be negative, was " + retainBlocks);
        if (lowestHeight < 0) throw new IllegalArgumentException("lowestHeight must not be negative, was " + lowestHeight);
    }

    public boolean archive() {
        return retainBlocks == ARCHIVE;
    }

    /** "archive" or "pruned", as the API and the CLI name the mode. */
    public String mode() {
        return archive() ? "archive" : "pruned";
    }

    /** True once history was deleted: a block, transaction, event or job below {@link #lowestHeight()} is gone. */
    public boolean hasPruned() {
        return lowestHeight > 1;
    }

    /** True when the history of {@code height} was deleted. */
    public boolean pruned(long height) {
        return height < lowestHeight;
    }
}
