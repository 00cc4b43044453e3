package dev.verity.validator.storage;

import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A {@link StoreFaults} layer that behaves as a disk that fills up: the {@code n}-th block commit fails as RocksDB
 * reports {@code ENOSPC} (an {@code IOError} with sub code {@code NoSpace}), and so does every write after it.
 *
 * <p>For tests only: the validator's own tests install it directly, and the system tests, which run the validator
 * from the release archive, through the test seam {@link dev.verity.validator.ValidatorProcess#DISK_FULL_AT_COMMIT}.
 */
public final class DiskFull implements StoreFaults {
    private final int failingCommit;
    private final AtomicInteger commits = new AtomicInteger();
    private volatile boolean full;

    private DiskFull(int failingCommit) {
        this.failingCommit = failingCommit;
    }

    /** Fails the {@code n}-th block commit (1 = the first, which is the genesis commit of a new store) and every write after it. */
    public static DiskFull atCommit(int n) {
        return new DiskFull(n);
    }

    /** From now on every write fails. */
    public void fill() {
        full = true;
    }

    public boolean full() {
        return full;
    }

    @Override
    public void beforeWrite(String operation) throws RocksDBException {
        if (!full && operation.equals("commit block") && commits.incrementAndGet() >= failingCommit) {
            full = true;
        }
        if (full) {
            String message = "IO error: No space left on device: While appending to file: db/000009.log: No space left on device";
            throw new RocksDBException(message, new Status(Status.Code.IOError, Status.SubCode.NoSpace, message));
        }
    }
}
