package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The rows a block wrote to one table, by storage key. Most tables are only read and written by key (jobs, their
 * inputs and outputs, accounts), so rows are found by hash; a sorted copy is built the first time the block iterates
 * the table in key order (the queue, the deadlines) and kept up to date from then until the overlay is cleared.
 */
final class Overlay<R> {
    private final LinkedHashMap<ByteKey, R> rows = new LinkedHashMap<>();
    /** The same rows in key order; null until asked for since the last clear. */
    private TreeMap<ByteKey, R> sorted;

    R get(ByteKey key) {
        return rows.get(key);
    }

    /** Sets the row at {@code key}, returning the one it replaces (null if none). */
    R put(ByteKey key, R row) {
        if (sorted != null) {
            sorted.put(key, row);
        }
        return rows.put(key, row);
    }

    void remove(ByteKey key) {
        rows.remove(key);
        if (sorted != null) {
            sorted.remove(key);
        }
    }

    /** The rows in key order, as a live view: valid until the next write. */
    NavigableMap<ByteKey, R> sorted() {
        if (sorted == null) {
            sorted = new TreeMap<>(rows);
        }
        return sorted;
    }

    /** The rows in the order they were first written; for handing them to storage, where order does not matter. */
    Collection<Map.Entry<ByteKey, R>> inWriteOrder() {
        return rows.entrySet();
    }

    void clear() {
        rows.clear();
        sorted = null;
    }
}
