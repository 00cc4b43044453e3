package dev.verity.ledger.state;

import java.util.List;

/**
 * Where committed state rows and trie nodes live: RocksDB in a validator, memory in a simulation or a test.
 * The ledger reads through it and never writes to it; what a block changed leaves through
 * {@link LedgerState#drainChanges} and the owner of the backend stores it. Keys are the storage keys the state
 * makes (a one-byte namespace, then the encoded key); order is unsigned lexicographic.
 */
public interface StateBackend {
    /** The committed value of {@code key}, or null. */
    byte[] get(byte[] key);

    /** Committed rows with {@code fromInclusive <= key < toExclusive}, in key order, at most {@code limit}. */
    List<Row> range(byte[] fromInclusive, byte[] toExclusive, int limit);

    /** One stored row. */
    record Row(byte[] key, byte[] value) {}
}
