package dev.verity.ledger.state;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A bounded map that forgets its oldest entry first. For caches only: whether an entry is present never changes a
 * result, only how fast it is found, so its order is never observed by the state transition. A hit does not
 * refresh an entry (first in, first out): a hit then costs one lookup, and a hot row that ages out is read back
 * from the backend once per {@code capacity} insertions, which is cheaper than reordering on every hit.
 */
final class BoundedCache<K, V> {
    private final int capacity;
    /** In insertion order: the first entry is the oldest. */
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>();

    BoundedCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative cache capacity " + capacity);
        }
        this.capacity = capacity;
    }

    V get(K key) {
        return entries.get(key);
    }

    void put(K key, V value) {
        if (capacity == 0) {
            return;
        }
        entries.put(key, value);
        if (entries.size() > capacity) {
            Iterator<K> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    void remove(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }
}
