package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link StateBackend} in memory, for simulations, replays and tests. Its owner applies what the state drains
 * ({@code state.drainChanges(backend::apply)}), so the rows a block leaves behind move here and the state's own
 * bookkeeping stays as small as one block's changes.
 */
public final class MemoryBackend implements StateBackend {
    private final TreeMap<ByteKey, byte[]> rows = new TreeMap<>();

    @Override
    public byte[] get(byte[] key) {
        return rows.get(new ByteKey(key));
    }

    @Override
    public List<Row> range(byte[] fromInclusive, byte[] toExclusive, int limit) {
        List<Row> out = new ArrayList<>(Math.min(limit, 64));
        for (Map.Entry<ByteKey, byte[]> e : rows.subMap(new ByteKey(fromInclusive), true, new ByteKey(toExclusive), false).entrySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(new Row(e.getKey().bytes(), e.getValue()));
        }
        return out;
    }

    /** Stores one drained write; a null value deletes the key. */
    public void apply(byte[] key, byte[] value) {
        if (value == null) {
            rows.remove(new ByteKey(key));
        } else {
            rows.put(new ByteKey(key), value);
        }
    }

    public int size() {
        return rows.size();
    }
}
