package dev.verity.validator.storage;

import java.nio.file.Path;

/**
 * The store's write-ahead log is truncated or corrupt, so RocksDB cannot replay every write that was acknowledged
 * before the node stopped. The store refuses to open unless the operator accepts the loss (see
 * {@link ChainStore#open(Path, int, boolean, StoreFaults)}, {@code verity chain repair}).
 */
public final class WalCorruptionException extends StorageException {
    private final Path dataDir;

    public WalCorruptionException(Path dataDir, String rocksMessage, Throwable cause) {
        super("data directory " + dataDir + ": the write-ahead log in " + dataDir.resolve("db")
                + " is truncated or corrupt (RocksDB: " + rocksMessage + "). The writes after the damaged record cannot be "
                + "replayed: acknowledged mempool transactions, and possibly the newest blocks, may be missing. The node "
                + "refuses to start rather than drop them silently. To recover: stop anything using the directory, back it "
                + "up, then run `verity chain repair --data-dir " + dataDir + "`, which keeps every write up to the "
                + "damaged record and reports what it could not keep (clients should re-submit transactions whose receipt "
                + "is UNKNOWN); or restore the directory from a backup.", cause);
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }
}
