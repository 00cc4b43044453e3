package dev.verity.validator.storage;

import org.rocksdb.RocksDBException;

/**
 * A seam for fault-injection tests: called before each synced write of a {@link ChainStore}, it may throw the
 * {@link RocksDBException} a failing disk would (RocksDB reports a full disk as an {@code IOError} with sub code
 * {@code NoSpace}). The write then fails exactly as it would in production. Production stores use {@link #NONE}.
 */
@FunctionalInterface
public interface StoreFaults {

    /** No faults: every write goes to RocksDB. */
    StoreFaults NONE = operation -> { };

    /**
     * Called before a synced write.
     *
     * @param operation what the store is about to write: {@code "commit block"}, {@code "add to mempool"},
     *                  {@code "remove from mempool"}, {@code "store refusals"}, {@code "write meta"}, or when a store
     *                  starts pruned {@code "set history retention"}, {@code "index archived jobs"} and {@code "prune history"}
     * @throws RocksDBException to fail the write
     */
    void beforeWrite(String operation) throws RocksDBException;
}
