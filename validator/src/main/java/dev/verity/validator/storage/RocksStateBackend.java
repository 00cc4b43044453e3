package dev.verity.validator.storage;

import dev.verity.ledger.state.StateBackend;
import java.util.List;

/** The ledger's committed state, read from the {@code state} column family of a {@link ChainStore}. */
public final class RocksStateBackend implements StateBackend {
    private final ChainStore store;

    public RocksStateBackend(ChainStore store) {
        this.store = store;
    }

    @Override
    public byte[] get(byte[] key) {
        return store.state(key).orElse(null);
    }

    @Override
    public List<Row> range(byte[] fromInclusive, byte[] toExclusive, int limit) {
        return store.stateRange(fromInclusive, toExclusive, limit);
    }
}
